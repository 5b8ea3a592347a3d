//! The provider's RS256 signing key: made on first run, kept as PKCS#8 PEM in the
//! data dir, published as a JWKS.

use std::path::Path;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{DecodingKey, EncodingKey, jwk::JwkSet};
use rsa::{
    RsaPrivateKey,
    pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding},
    traits::PublicKeyParts,
};
use sha2::{Digest, Sha256};

use super::{IdentityError, store};

pub struct SigningKey {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    jwks: JwkSet,
}

impl SigningKey {
    pub fn load_or_create(path: &Path) -> Result<Self, IdentityError> {
        let corrupt = |reason: String| IdentityError::Corrupt {
            path: path.to_owned(),
            reason,
        };
        let private = match std::fs::read_to_string(path) {
            Ok(pem) => RsaPrivateKey::from_pkcs8_pem(&pem).map_err(|e| corrupt(e.to_string()))?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let key = RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048)
                    .map_err(|e| IdentityError::KeyGeneration(e.to_string()))?;
                let pem = key
                    .to_pkcs8_pem(LineEnding::LF)
                    .map_err(|e| IdentityError::KeyGeneration(e.to_string()))?;
                store::write_atomic(path, pem.as_bytes())?;
                key
            }
            Err(source) => {
                return Err(IdentityError::Io {
                    what: "cannot read",
                    path: path.to_owned(),
                    source,
                });
            }
        };
        Self::from_private(&private).map_err(corrupt)
    }

    fn from_private(private: &RsaPrivateKey) -> Result<Self, String> {
        let pem = private
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| e.to_string())?;
        let encoding = EncodingKey::from_rsa_pem(pem.as_bytes()).map_err(|e| e.to_string())?;
        let n = private.n().to_bytes_be();
        let e = private.e().to_bytes_be();
        // The kid names the key by its content, so a new key always gets a new kid.
        let kid = format!("{:x}", Sha256::digest(&n))[..16].to_owned();
        let (n, e) = (URL_SAFE_NO_PAD.encode(n), URL_SAFE_NO_PAD.encode(e));
        let decoding = DecodingKey::from_rsa_components(&n, &e).map_err(|e| e.to_string())?;
        let jwks: JwkSet = serde_json::from_value(serde_json::json!({
            "keys": [{ "kty": "RSA", "alg": "RS256", "use": "sig", "kid": kid, "n": n, "e": e }]
        }))
        .map_err(|e| e.to_string())?;
        Ok(Self {
            kid,
            encoding,
            decoding,
            jwks,
        })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn encoding(&self) -> &EncodingKey {
        &self.encoding
    }

    pub fn decoding(&self) -> &DecodingKey {
        &self.decoding
    }

    pub fn jwks(&self) -> &JwkSet {
        &self.jwks
    }
}
