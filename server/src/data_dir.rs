//! The data folder: creating it, the JWT signing secret, and private files written atomically.

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::Path;

use anyhow::{ensure, Context};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::random;

/// Name of the file holding the base64 JWT signing secret.
const JWT_SECRET_FILE: &str = "jwt-secret";
/// Shortest acceptable secret, in bytes.
const MIN_SECRET_BYTES: usize = 32;

/// Creates the data folder if missing.
pub fn create(dir: &Path) -> anyhow::Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("creating the data folder {}", dir.display()))
}

/// The JWT signing secret: read from the data folder, or made (48 random bytes) on first start.
pub fn jwt_secret(dir: &Path) -> anyhow::Result<Vec<u8>> {
    let path = dir.join(JWT_SECRET_FILE);
    match fs::read_to_string(&path) {
        Ok(text) => {
            let secret = STANDARD
                .decode(text.trim())
                .with_context(|| format!("{} is not base64", path.display()))?;
            ensure!(
                secret.len() >= MIN_SECRET_BYTES,
                "{} holds fewer than {MIN_SECRET_BYTES} bytes",
                path.display()
            );
            Ok(secret)
        }
        Err(error) if error.kind() == ErrorKind::NotFound => {
            let secret = random::bytes::<48>().to_vec();
            write_private(&path, STANDARD.encode(&secret).as_bytes())?;
            Ok(secret)
        }
        Err(error) => Err(error).with_context(|| format!("reading {}", path.display())),
    }
}

/// Writes `contents` to `path` readable by the owner only (0600 on Unix), replacing it atomically.
pub fn write_private(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    let temporary = path.with_extension("tmp");
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&temporary)
        .with_context(|| format!("creating {}", temporary.display()))?;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing {}", temporary.display()))?;
    fs::rename(&temporary, path).with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_is_made_once_then_kept() {
        let dir = tempfile::tempdir().unwrap();
        let first = jwt_secret(dir.path()).unwrap();
        assert!(first.len() >= MIN_SECRET_BYTES);
        assert_eq!(jwt_secret(dir.path()).unwrap(), first);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join(JWT_SECRET_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_short_secret_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(JWT_SECRET_FILE), STANDARD.encode([1u8; 8])).unwrap();
        assert!(jwt_secret(dir.path()).is_err());
    }
}
