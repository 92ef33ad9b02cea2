//! Time-lapse as an MP4 video: the same frames as the GIF (each the report page at the
//! frame's date window, stamped, legend in place), encoded as H.264 by OpenH264 (Cisco's
//! BSD-licensed encoder, built from the source vendored in the `openh264` crate: no
//! system library) and muxed into MP4 by the `mp4` crate.

use super::incidents::MapIncidents;
use super::layers::BaseLayers;
use super::page::MapSpec;
use super::style::Style;
use super::timelapse::{render_frames, Timelapse};
use super::ExportError;
use openh264::encoder::{BitRate, Encoder, EncoderConfig, FrameRate, QpRange, RateControlMode};
use openh264::formats::{RgbSliceU8, YUVBuffer};
use openh264::OpenH264API;
use std::io::Cursor;

/// Quantiser range: no rate control, constant quality that keeps map text legible.
const QP: (u8, u8) = (18, 26);

/// Track time units per second.
const TIMESCALE: u32 = 1000;

fn video_err(e: impl std::fmt::Display) -> ExportError {
    ExportError::Video(e.to_string())
}

/// Render the time-lapse as an MP4 (H.264, one sample per frame, each shown for
/// `t.delay_cs` hundredths of a second). Frames of odd width or height get one white
/// column or row (H.264's 4:2:0 colour needs even sizes).
pub fn render_mp4(
    spec: &MapSpec,
    layers: &BaseLayers,
    style: &Style,
    incidents: &MapIncidents,
    t: &Timelapse,
) -> Result<Vec<u8>, ExportError> {
    let (w, h) = spec.page.pixel_size();
    let (ew, eh) = (even(w), even(h));
    let (vw, vh) = super::timelapse::frame_size_u16(ew, eh).map_err(video_err)?;
    let frame_ms = u32::from(t.delay_cs.max(1)) * 10;
    let fps = 1000.0 / frame_ms as f32;
    // About one bit per pixel per frame: map text stays sharp at a few hundred KB a frame.
    let bps = (u64::from(ew) * u64::from(eh) * 3 / 2).clamp(500_000, u64::from(u32::MAX));
    let config = EncoderConfig::new()
        .bitrate(BitRate::from_bps(bps as u32))
        .max_frame_rate(FrameRate::from_hz(fps))
        .rate_control_mode(RateControlMode::Off)
        .qp(QpRange::new(QP.0, QP.1))
        .skip_frames(false);
    let mut enc =
        Encoder::with_api_config(OpenH264API::from_source(), config).map_err(video_err)?;
    let mut mux = Muxer::default();
    let mut padded = Vec::new();
    render_frames(spec, layers, style, incidents, t, |_svg, rgb| {
        let rgb = pad_even(rgb, w, h, &mut padded);
        let yuv = YUVBuffer::from_rgb_source(RgbSliceU8::new(rgb, (ew as usize, eh as usize)));
        let stream = enc.encode(&yuv).map_err(video_err)?;
        mux.push(&stream.to_vec())
    })?;
    mux.finish(vw, vh, frame_ms)
}

fn even(v: u32) -> u32 {
    v + (v & 1)
}

/// `rgb` (w × h) as an even-sized frame, padded with white into `buf` when needed.
fn pad_even<'a>(rgb: &'a [u8], w: u32, h: u32, buf: &'a mut Vec<u8>) -> &'a [u8] {
    if w == even(w) && h == even(h) {
        return rgb;
    }
    let (w, ew, eh) = (w as usize, even(w) as usize, even(h) as usize);
    buf.clear();
    buf.resize(ew * eh * 3, 255);
    for (y, row) in rgb.chunks_exact(w * 3).enumerate() {
        buf[y * ew * 3..y * ew * 3 + w * 3].copy_from_slice(row);
    }
    buf
}

/// NAL units of an Annex B stream (start codes `00 00 01` / `00 00 00 01` removed).
pub fn nal_units(stream: &[u8]) -> Vec<&[u8]> {
    let mut starts = Vec::new();
    let mut i = 0;
    while i + 3 <= stream.len() {
        if stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1 {
            starts.push(i + 3);
            i += 3;
        } else {
            i += 1;
        }
    }
    starts
        .iter()
        .enumerate()
        .map(|(k, &s)| {
            let mut end = starts.get(k + 1).map_or(stream.len(), |&n| n - 3);
            // The zero byte of a four-byte start code belongs to no unit.
            while end > s && stream[end - 1] == 0 && k + 1 < starts.len() {
                end -= 1;
            }
            &stream[s..end]
        })
        .filter(|u| !u.is_empty())
        .collect()
}

/// Collects the encoded frames: parameter sets for the track header, the rest as
/// length-prefixed samples.
#[derive(Default)]
struct Muxer {
    sps: Option<Vec<u8>>,
    pps: Option<Vec<u8>>,
    samples: Vec<(Vec<u8>, bool)>,
}

impl Muxer {
    fn push(&mut self, annex_b: &[u8]) -> Result<(), ExportError> {
        let mut sample = Vec::new();
        let mut sync = false;
        for nal in nal_units(annex_b) {
            match nal[0] & 0x1f {
                7 => self.sps = self.sps.take().or_else(|| Some(nal.to_vec())),
                8 => self.pps = self.pps.take().or_else(|| Some(nal.to_vec())),
                t => {
                    sync |= t == 5;
                    let len = u32::try_from(nal.len()).map_err(video_err)?;
                    sample.extend_from_slice(&len.to_be_bytes());
                    sample.extend_from_slice(nal);
                }
            }
        }
        if sample.is_empty() {
            return Err(video_err("the encoder returned no picture for a frame"));
        }
        self.samples.push((sample, sync));
        Ok(())
    }

    fn finish(self, w: u16, h: u16, frame_ms: u32) -> Result<Vec<u8>, ExportError> {
        let (Some(sps), Some(pps)) = (self.sps, self.pps) else {
            return Err(video_err("the encoder wrote no parameter sets"));
        };
        let config = mp4::Mp4Config {
            major_brand: str::parse("isom").map_err(video_err)?,
            minor_version: 512,
            compatible_brands: ["isom", "iso2", "avc1", "mp41"]
                .iter()
                .map(|b| str::parse(b).map_err(video_err))
                .collect::<Result<_, _>>()?,
            timescale: TIMESCALE,
        };
        let mut writer =
            mp4::Mp4Writer::write_start(Cursor::new(Vec::new()), &config).map_err(video_err)?;
        writer
            .add_track(&mp4::TrackConfig {
                track_type: mp4::TrackType::Video,
                timescale: TIMESCALE,
                language: "und".into(),
                media_conf: mp4::MediaConfig::AvcConfig(mp4::AvcConfig {
                    width: w,
                    height: h,
                    seq_param_set: sps,
                    pic_param_set: pps,
                }),
            })
            .map_err(video_err)?;
        for (i, (bytes, is_sync)) in self.samples.into_iter().enumerate() {
            let sample = mp4::Mp4Sample {
                start_time: i as u64 * u64::from(frame_ms),
                duration: frame_ms,
                rendering_offset: 0,
                is_sync,
                bytes: bytes.into(),
            };
            writer.write_sample(1, &sample).map_err(video_err)?;
        }
        writer.write_end().map_err(video_err)?;
        Ok(writer.into_writer().into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_annex_b_into_units() {
        let s = [
            0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65, 4, 5, 0,
        ];
        let u = nal_units(&s);
        assert_eq!(u, vec![&[0x67, 1, 2][..], &[0x68, 3], &[0x65, 4, 5, 0]]);
        assert!(nal_units(&[]).is_empty());
    }

    #[test]
    fn pads_odd_frames_with_white() {
        let rgb = [10u8; 9]; // 3 × 1 pixels
        let mut buf = Vec::new();
        let p = pad_even(&rgb, 3, 1, &mut buf);
        assert_eq!(p.len(), 4 * 2 * 3);
        assert_eq!(&p[..9], &[10; 9]);
        assert!(p[9..].iter().all(|&v| v == 255));
    }
}
