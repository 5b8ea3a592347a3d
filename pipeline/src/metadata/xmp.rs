//! The capture date from XMP, for a picture whose EXIF has none: scans and
//! exports often carry only XMP (Photoshop, Lightroom, scanners). Read, in
//! this order: `exif:DateTimeOriginal` (XMP's copy of EXIF's),
//! `photoshop:DateCreated`, then `xmp:CreateDate`. Namespaces are matched by
//! their URI, not by the prefix a writer chose, and a property may be an
//! attribute of `rdf:Description` or an element of its own.

use api_types::photo::TakenAt;
use quick_xml::{
    events::{BytesStart, Event},
    name::ResolveResult,
    reader::NsReader,
};

const EXIF: &str = "http://ns.adobe.com/exif/1.0/";
const PHOTOSHOP: &str = "http://ns.adobe.com/photoshop/1.0/";
const XMP: &str = "http://ns.adobe.com/xap/1.0/";

/// The properties that can say when a picture was taken, most trusted first.
const DATE_PROPERTIES: [(&str, &str); 3] = [
    (EXIF, "DateTimeOriginal"),
    (PHOTOSHOP, "DateCreated"),
    (XMP, "CreateDate"),
];

/// When the picture was taken, as its XMP says.
pub fn taken_at(bytes: &[u8]) -> Option<TakenAt> {
    let found = dates(packet(bytes)?);
    found
        .into_iter()
        .flatten()
        .find_map(|value| parse_date(&value))
}

/// The XMP packet: the first `<x:xmpmeta>` element, wherever the format keeps
/// it (a JPEG's APP1, a PNG's iTXt, a TIFF tag, a HEIC item), as text.
fn packet(bytes: &[u8]) -> Option<&str> {
    let start = memchr::memmem::find(bytes, b"<x:xmpmeta")?;
    let end_tag = b"</x:xmpmeta>";
    let length = memchr::memmem::find(&bytes[start..], end_tag)?;
    std::str::from_utf8(&bytes[start..start + length + end_tag.len()]).ok()
}

/// The value of each of [`DATE_PROPERTIES`] found, in their order.
fn dates(xml: &str) -> [Option<String>; 3] {
    let mut found: [Option<String>; 3] = Default::default();
    let mut reader = NsReader::from_str(xml);
    // The property whose element is open, waiting for its text.
    let mut open: Option<usize> = None;
    while let Ok((namespace, event)) = reader.read_resolved_event() {
        let element = match namespace {
            ResolveResult::Bound(namespace) => Some(namespace.into_inner().to_owned()),
            _ => None,
        };
        match event {
            Event::Start(start) | Event::Empty(start) => {
                attributes(&reader, &start, &mut found);
                open =
                    element.and_then(|namespace| property(&namespace, start.local_name().as_ref()));
            }
            Event::Text(text) => {
                if let Some(index) = open.take() {
                    let value = text.xml10_content().trim().to_owned();
                    found[index].get_or_insert(value);
                }
            }
            Event::Eof => break,
            _ => open = None,
        }
    }
    found
}

/// Dates written as attributes of `start` (`<rdf:Description xmp:CreateDate="…">`).
fn attributes(reader: &NsReader<&[u8]>, start: &BytesStart, found: &mut [Option<String>; 3]) {
    for attribute in start.attributes().flatten() {
        let (namespace, local) = reader.resolver().resolve(attribute.key, false);
        let ResolveResult::Bound(namespace) = namespace else {
            continue;
        };
        if let Some(index) = property(namespace.into_inner(), local.as_ref())
            && let Ok(value) = attribute.normalized_value(quick_xml::XmlVersion::Implicit1_0)
        {
            found[index].get_or_insert(value.trim().to_owned());
        }
    }
}

fn property(namespace: &str, local: &str) -> Option<usize> {
    DATE_PROPERTIES
        .iter()
        .position(|(uri, name)| *uri == namespace && *name == local)
}

/// An XMP date (ISO 8601: `2013-09-23T10:09:46+02:00`, `…T10:09Z`, or a
/// day alone) as the camera's local time and its offset, if one is written.
/// A day alone is taken as its noon, so no time zone moves it to another day.
fn parse_date(value: &str) -> Option<TakenAt> {
    let (date, time) = value.split_once('T').unwrap_or((value, "12:00:00"));
    let (clock, offset) = match time.find(['+', '-', 'Z']) {
        Some(at) => (&time[..at], Some(&time[at..])),
        None => (time, None),
    };
    // Seconds may be missing, or carry a fraction.
    let clock = clock.split('.').next().unwrap_or(clock);
    let clock = if clock.len() == 5 {
        format!("{clock}:00")
    } else {
        clock.to_owned()
    };
    let local = super::parse_exif_datetime(&format!("{}T{clock}", date.replace('-', ":")))?;
    let offset = match offset {
        Some("Z") => Some("+00:00".to_owned()),
        Some(offset) if super::valid_offset(offset) => Some(offset.to_owned()),
        _ => None,
    };
    Some(TakenAt { local, offset })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taken(xml: &str) -> Option<(String, Option<String>)> {
        taken_at(xml.as_bytes()).map(|taken| (taken.local, taken.offset))
    }

    fn packet_with(description: &str) -> String {
        format!(
            r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">{description}</rdf:RDF></x:xmpmeta>"#
        )
    }

    #[test]
    fn an_attribute_date_with_its_offset() {
        let xml = packet_with(
            r#"<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreateDate="2013-09-23T10:09:46+02:00" xmp:ModifyDate="2014-09-22T10:56:35+02:00"/>"#,
        );
        assert_eq!(
            taken(&xml),
            Some(("2013-09-23T10:09:46".into(), Some("+02:00".into())))
        );
    }

    #[test]
    fn an_element_date_under_another_prefix_and_the_most_trusted_property_wins() {
        let xml = packet_with(
            r#"<rdf:Description xmlns:a="http://ns.adobe.com/xap/1.0/" xmlns:ps="http://ns.adobe.com/photoshop/1.0/">
                 <a:CreateDate>2020-01-02T03:04:05Z</a:CreateDate>
                 <ps:DateCreated>2019-07-14T16:32</ps:DateCreated>
               </rdf:Description>"#,
        );
        assert_eq!(taken(&xml), Some(("2019-07-14T16:32:00".into(), None)));
    }

    #[test]
    fn a_fraction_a_utc_zone_and_a_day_alone() {
        let at = |value: &str| parse_date(value).map(|taken| (taken.local, taken.offset));
        assert_eq!(
            at("2021-04-11T15:47:53.120Z"),
            Some(("2021-04-11T15:47:53".into(), Some("+00:00".into())))
        );
        assert_eq!(at("1998-06-01"), Some(("1998-06-01T12:00:00".into(), None)));
        assert_eq!(at("0000-00-00T00:00:00"), None);
        assert_eq!(at("yesterday"), None);
    }

    #[test]
    fn no_packet_or_a_broken_one_says_nothing() {
        assert_eq!(taken("no xmp here"), None);
        assert_eq!(taken("<x:xmpmeta><rdf:Description xmp:CreateDate="), None);
        let unbound = packet_with(r#"<rdf:Description CreateDate="2013-09-23T10:09:46"/>"#);
        assert_eq!(
            taken(&unbound),
            None,
            "a property outside the XMP namespace"
        );
    }
}
