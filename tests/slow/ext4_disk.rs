//! A small ext4 filesystem of its own for a test's database: a 32 MiB image, loop-mounted
//! (root only), whose files can be made immutable (`chattr +i`), which stops every write, even
//! through descriptors already open (`read_only.rs` says why nothing else would do).

use std::path::{Path, PathBuf};
use std::process::Command;

/// A 32 MiB ext4 image loop-mounted on a temporary directory; unmounted when dropped.
pub struct Ext4Disk {
    mount_point: tempfile::TempDir,
    _image: tempfile::TempDir,
}

impl Ext4Disk {
    pub fn mount() -> Self {
        let image_dir = tempfile::tempdir().expect("a directory for the image");
        let image = image_dir.path().join("disk.img");
        let file = std::fs::File::create(&image).expect("the image file");
        file.set_len(32 << 20).expect("32 MiB");
        run("mkfs.ext4", &["-q", "-F"], &image);
        let mount_point = tempfile::tempdir().expect("a mount point");
        let target = mount_point.path().display().to_string();
        run(
            "mount",
            &["-o", "loop", &image.display().to_string()],
            Path::new(&target),
        );
        Self {
            mount_point,
            _image: image_dir,
        }
    }

    pub fn path(&self) -> &Path {
        self.mount_point.path()
    }

    /// The database file, its WAL and their directory, so nothing can be written or created.
    /// Not the `-shm` index: SQLite maps it into memory, and a write to a mapped page of an
    /// immutable file is a SIGBUS, which would kill the test rather than test the server.
    pub fn set_immutable(&self, immutable: bool) {
        for path in self.database_paths() {
            run("chattr", &[if immutable { "+i" } else { "-i" }], &path);
        }
    }

    fn database_paths(&self) -> Vec<PathBuf> {
        let files = ["db.sqlite", "db.sqlite-wal"].map(|f| self.path().join(f));
        let mut paths: Vec<PathBuf> = files.into_iter().filter(|p| p.exists()).collect();
        paths.push(self.path().to_owned());
        paths
    }
}

impl Drop for Ext4Disk {
    fn drop(&mut self) {
        // Also after a failed assertion: never leave an immutable file or a mount behind.
        let _ = Command::new("chattr")
            .arg("-i")
            .args(self.database_paths())
            .status();
        let _ = Command::new("umount").arg("-l").arg(self.path()).status();
    }
}

/// `program args... path`, which must succeed (as root).
fn run(program: &str, args: &[&str], path: &Path) {
    let status = Command::new(program).args(args).arg(path).status();
    let status = status.unwrap_or_else(|e| panic!("{program} runs: {e}"));
    assert!(
        status.success(),
        "{program} {args:?} {} (needs root)",
        path.display()
    );
}
