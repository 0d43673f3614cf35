//! Copying to the system clipboard with OSC 52, which the terminal itself carries out, so it
//! also works over SSH and needs no clipboard daemon.

use base64::Engine;

/// The OSC 52 sequence that puts `text` on the clipboard (`c`), terminated by BEL.
pub fn osc52(text: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    format!("\u{1b}]52;c;{encoded}\u{7}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_the_text_in_base64_inside_osc_52() {
        assert_eq!(osc52("engi-1"), "\u{1b}]52;c;ZW5naS0x\u{7}");
    }
}
