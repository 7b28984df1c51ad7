//! `uitid-emulator keygen --out FILE`.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use crate::token::SigningKey;

pub async fn run(out: &Path, force: bool) -> anyhow::Result<()> {
    let key = tokio::task::spawn_blocking(SigningKey::generate).await??;
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(out).with_context(|| {
        format!(
            "cannot create {} (use --force to replace it)",
            out.display()
        )
    })?;
    file.write_all(key.private_pem.as_bytes())?;
    eprintln!(
        "wrote {} (RSA-2048, kid {}); its public key:",
        out.display(),
        key.kid
    );
    print!("{}", key.public_pem);
    Ok(())
}
