//! The data folder: creating it and keeping it private, the JWT signing secret, private files
//! and the folder of uploads.

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::Path;

use anyhow::{ensure, Context};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::random;

/// Name of the file holding the base64 JWT signing secret.
const JWT_SECRET_FILE: &str = "jwt-secret";
/// Name of the folder of uploaded files.
pub const UPLOADS_DIR: &str = "uploads";
/// Shortest acceptable secret, in bytes.
const MIN_SECRET_BYTES: usize = 32;

/// Creates the data folder if missing, for its owner only (0700 on Unix); tightens an existing
/// folder, and every file in it, that others could read (each change is logged).
pub fn create(dir: &Path) -> anyhow::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .with_context(|| format!("creating the data folder {}", dir.display()))?;
    #[cfg(unix)]
    {
        tighten(dir, 0o700)?;
        let entries = fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
            if entry.file_type().is_ok_and(|kind| kind.is_file()) {
                tighten(&entry.path(), 0o600)?;
            }
        }
    }
    Ok(())
}

/// Creates `path` empty and private (0600 on Unix) if it does not exist, so what opens it later
/// (SQLite, which gives its `-wal` and `-shm` files the database's permissions) keeps it private.
pub fn create_private(path: &Path) -> anyhow::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error).with_context(|| format!("creating {}", path.display())),
    }
}

/// Takes away from `path` every permission beyond `mode`, with a log line when there were any.
#[cfg(unix)]
fn tighten(path: &Path, mode: u32) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let current = fs::metadata(path)
        .with_context(|| format!("reading the permissions of {}", path.display()))?
        .permissions()
        .mode()
        & 0o777;
    if current & !mode == 0 {
        return Ok(());
    }
    fs::set_permissions(path, fs::Permissions::from_mode(current & mode))
        .with_context(|| format!("tightening the permissions of {}", path.display()))?;
    tracing::warn!(
        path = %path.display(),
        "others could read this private data: permissions changed from {current:o} to {:o}",
        current & mode
    );
    Ok(())
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

    #[cfg(unix)]
    #[test]
    fn the_folder_and_its_files_are_made_and_kept_private() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("a/data");
        create(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        let database = dir.join("tiledesk.db");
        create_private(&database).unwrap();
        assert_eq!(mode(&database), 0o600);
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        fs::set_permissions(&database, fs::Permissions::from_mode(0o644)).unwrap();
        fs::write(dir.join("notes"), "x").unwrap();
        fs::set_permissions(dir.join("notes"), fs::Permissions::from_mode(0o400)).unwrap();
        create(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&database), 0o600);
        assert_eq!(
            mode(&dir.join("notes")),
            0o400,
            "only permissions of others are taken away"
        );
    }

    #[test]
    fn a_short_secret_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(JWT_SECRET_FILE), STANDARD.encode([1u8; 8])).unwrap();
        assert!(jwt_secret(dir.path()).is_err());
    }
}
