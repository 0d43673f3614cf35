//! Private, crash-safe files: everything pcinbox writes (drafts, caches, logs, the emulator's
//! store) is readable by the user only, and replaced atomically (temp file, fsync, rename), so a
//! `kill -9` mid-write leaves the old file or the new one, never a torn one. A file that still
//! cannot be read is set aside with a message, not a crash.

use std::io::Write;
use std::path::{Path, PathBuf};

use atomic_write_file::AtomicWriteFile;
#[cfg(unix)]
use atomic_write_file::unix::OpenOptionsExt;

/// Makes every file and folder this process creates from now on private to the user (umask
/// 077), so files written by other crates (the log appender's daily files) are 0600 too.
pub fn make_new_files_private() {
    #[cfg(unix)]
    nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(0o077));
}

/// Creates `dir` (and parents) readable by the user only.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Replaces `path` with `bytes` atomically (temp file in the same folder, fsync, rename: a
/// killed process leaves the old file or the new one, never half of one), mode 0600, creating
/// its folder (0700) if needed. Drafts, the emulator store and other state go through here.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_private_with(path, |out| out.write_all(bytes))
}

/// [`write_private`] for content produced piece by piece (`write` gets a buffered writer), so
/// a large file is never held whole in memory.
pub fn write_private_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    let mut options = AtomicWriteFile::options();
    #[cfg(unix)]
    {
        options.preserve_mode(false);
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    }
    let mut file = options.open(path)?;
    let mut buffered = std::io::BufWriter::new(&mut file);
    write(&mut buffered)?;
    buffered.flush()?;
    drop(buffered);
    file.commit()
}

/// Writes `bytes` to a new file, mode 0600: `path` if it is free, else `NAME-2.EXT`,
/// `NAME-3.EXT`, … An existing file is never replaced (each name is claimed with an exclusive
/// create, so two writers cannot take the same one). Returns the path written.
pub fn write_private_new(path: &Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let extension = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    for n in 1u32.. {
        let candidate = if n == 1 {
            path.to_owned()
        } else {
            path.with_file_name(format!("{stem}-{n}{extension}"))
        };
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = match options.open(&candidate) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        let written = file.write_all(bytes).and_then(|()| file.sync_all());
        if let Err(e) = written {
            // A half-written file is worse than none.
            let _ = std::fs::remove_file(&candidate);
            return Err(e);
        }
        return Ok(candidate);
    }
    unreachable!("u32 names run out only after four billion files")
}

/// `text` made safe as part of one file name: anything but ASCII letters, digits and `_`
/// becomes `-` (profile names may hold `/` or `.`).
pub fn name_part(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Moves an unreadable file out of the way (`NAME.corrupt-<UTC time>`) and says where.
pub fn set_aside(path: &Path) -> std::io::Result<PathBuf> {
    // Milliseconds, so a second bad file in the same second does not replace the first.
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".corrupt-{stamp}"));
    let aside = path.with_file_name(name);
    std::fs::rename(path, &aside)?;
    Ok(aside)
}

/// Reads a JSON file into `T`. Missing is `Ok(None)`; unparseable is set aside and reported in
/// the returned message, so the caller starts fresh without losing the evidence.
pub fn read_json<T: serde::de::DeserializeOwned>(
    path: &Path,
) -> std::io::Result<(Option<T>, Option<String>)> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((None, None)),
        Err(e) => return Err(e),
    };
    match serde_json::from_slice(&bytes) {
        Ok(value) => Ok((Some(value), None)),
        Err(error) => {
            let aside = set_aside(path)?;
            Ok((
                None,
                Some(format!(
                    "{} could not be read ({error}); it was moved to {}",
                    path.display(),
                    aside.display()
                )),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_are_private_and_replace_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/state.json");
        write_private(&path, b"{\"a\": 1, \"long\": \"xxxxxxxxxxxx\"}").unwrap();
        write_private(&path, b"{\"a\": 2}").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"{\"a\": 2}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let dir_mode = std::fs::metadata(path.parent().unwrap())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(dir_mode & 0o777, 0o700);
        }
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp files left behind");
    }

    #[test]
    fn a_torn_file_is_set_aside_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("draft.json");
        std::fs::write(&path, b"{\"message\": \"half a wri").unwrap();
        let (value, warning) = read_json::<serde_json::Value>(&path).unwrap();
        assert!(value.is_none());
        let warning = warning.unwrap();
        assert!(warning.contains("moved to"), "{warning}");
        assert!(!path.exists());
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names[0].starts_with("draft.json.corrupt-"), "{names:?}");
        assert_eq!(read_json::<serde_json::Value>(&path).unwrap(), (None, None));
    }
}
