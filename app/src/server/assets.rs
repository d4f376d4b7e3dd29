//! The built site's file names. cargo-leptos names each file of `/pkg` after a hash of its
//! content (`valora.<hash>.css`) and lists the hashes in `hash.txt` beside the server binary,
//! where Leptos' island loader reads them too. Pages link those names, and the server lets
//! browsers keep such files for a year. Without the list (a server built by plain `cargo`) the
//! names carry no hash.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The content hashes of the site's files, as `hash.txt` lists them (`css: <hash>` lines).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hashes {
    pub js: Option<String>,
    pub wasm: Option<String>,
    pub css: Option<String>,
}

impl Hashes {
    pub fn parse(text: &str) -> Hashes {
        let mut hashes = Hashes::default();
        for (kind, hash) in text.lines().filter_map(|line| line.split_once(':')) {
            let hash = Some(hash.trim().to_string()).filter(|h| !h.is_empty());
            match kind.trim() {
                "js" => hashes.js = hash,
                "wasm" => hashes.wasm = hash,
                "css" => hashes.css = hash,
                _ => {}
            }
        }
        hashes
    }

    /// The stylesheet's address.
    pub fn stylesheet(&self) -> String {
        match &self.css {
            Some(hash) => format!("/pkg/valora.{hash}.css"),
            None => "/pkg/valora.css".into(),
        }
    }

    /// Whether `path` names a file by its content hash (so it never changes under that name).
    pub fn names_by_content(&self, path: &str) -> bool {
        let file = path.rsplit('/').next().unwrap_or(path);
        [&self.js, &self.wasm, &self.css]
            .into_iter()
            .flatten()
            .any(|hash| file.contains(&format!(".{hash}.")))
    }
}

/// Where cargo-leptos writes the list: beside the running binary (Leptos reads it there too).
pub fn beside_binary() -> Option<PathBuf> {
    let path = std::env::current_exe().ok()?.parent()?.join("hash.txt");
    path.exists().then_some(path)
}

static LOADED: OnceLock<Hashes> = OnceLock::new();

/// Reads the list at `path` (none: names without hashes), once per process; the first server
/// started in a process decides. A list that cannot be read counts as none.
pub fn load(path: Option<&Path>) -> &'static Hashes {
    LOADED.get_or_init(|| {
        path.and_then(|p| std::fs::read_to_string(p).ok())
            .map(|text| Hashes::parse(&text))
            .unwrap_or_default()
    })
}

/// The hashes in use (none until [`load`]).
pub fn hashes() -> &'static Hashes {
    static NONE: Hashes = Hashes {
        js: None,
        wasm: None,
        css: None,
    };
    LOADED.get().unwrap_or(&NONE)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str =
        "js: sGEcrvHUExm86_NKbo5fJg\nwasm: 5uOzZeB1EI6U-Rxru0Xhvw\ncss: 2E0iqiV7fT7-F5EpRIXRLg\n";

    #[test]
    fn the_stylesheet_is_named_by_its_hash_when_the_list_has_one() {
        assert_eq!(
            Hashes::parse(LIST).stylesheet(),
            "/pkg/valora.2E0iqiV7fT7-F5EpRIXRLg.css"
        );
        assert_eq!(Hashes::parse("").stylesheet(), "/pkg/valora.css");
    }

    #[test]
    fn only_files_named_by_a_listed_hash_count_as_named_by_content() {
        let hashes = Hashes::parse(LIST);
        assert!(hashes.names_by_content("/pkg/valora.5uOzZeB1EI6U-Rxru0Xhvw.wasm"));
        assert!(hashes.names_by_content("/pkg/valora.sGEcrvHUExm86_NKbo5fJg.js"));
        assert!(!hashes.names_by_content("/pkg/valora.css"));
        assert!(!hashes.names_by_content("/pkg/valora.OLDHASH.wasm"));
        assert!(!Hashes::default().names_by_content("/pkg/valora.css"));
    }
}
