//! `uitid-emulator config check FILE`.

use std::path::Path;

use crate::config::load_settings;

pub fn run(file: &Path) -> anyhow::Result<()> {
    let settings = load_settings(Some(file))?;
    println!(
        "# {}: valid. Effective configuration (environment overrides applied):",
        file.display()
    );
    print!("{}", toml::to_string_pretty(&settings)?);
    println!("\n# derived: token.issuer = {:?}", settings.issuer());
    println!(
        "# derived: server.tls = {:?}",
        settings.server.tls_mode().as_str()
    );
    println!(
        "# derived: token.access_ttl = {:?}",
        humantime::format_duration(settings.access_ttl()).to_string()
    );
    Ok(())
}
