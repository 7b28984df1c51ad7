//! Form decoding (`application/x-www-form-urlencoded`) by hand, to judge the strict parameter
//! parser and the token parameters of a redirect by; it never calls `percent-encoding`.

/// Form decoding: `+` is a space, `%` and two hex digits a byte; `None` when not UTF-8.
pub fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let hex = |b: u8| char::from(b).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match bytes.get(i..i + 3) {
            Some([b'%', high, low]) => hex(*high).zip(hex(*low)).map(|(h, l)| h * 16 + l),
            _ => None,
        };
        match (escaped, bytes[i]) {
            (Some(byte), _) => (out.push(byte), i += 3),
            (None, b'+') => (out.push(b' '), i += 1),
            (None, byte) => (out.push(byte), i += 1),
        };
    }
    String::from_utf8(out).ok()
}
