//! GeoJSON (RFC 7946) importer. (Being written.)
