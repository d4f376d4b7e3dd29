//! Random secrets for cookies and emailed links: 256 bits, URL-safe; only their SHA-256 is stored.

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}
