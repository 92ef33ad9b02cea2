//! Clustering options (supercluster's names and defaults).

use serde::{Deserialize, Serialize};

/// Options of a [`ClusterIndex`](super::ClusterIndex), as in supercluster.
///
/// ```
/// let o = atlas::cluster::ClusterOptions::default();
/// assert_eq!((o.radius, o.extent, o.min_points, o.min_zoom, o.max_zoom), (40.0, 512.0, 2, 0, 16));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClusterOptions {
    /// Lowest zoom at which clusters are generated.
    pub min_zoom: u8,
    /// Highest zoom at which points are clustered (at most 30); above it every point stands alone.
    pub max_zoom: u8,
    /// Minimum number of points to form a cluster.
    pub min_points: u32,
    /// Cluster radius in pixels of a tile of `extent` pixels.
    pub radius: f64,
    /// Tile extent (the radius is relative to it).
    pub extent: f64,
    /// Leaf size of the per-zoom KD-trees.
    pub node_size: usize,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            min_zoom: 0,
            max_zoom: 16,
            min_points: 2,
            radius: 40.0,
            extent: 512.0,
            node_size: 64,
        }
    }
}
