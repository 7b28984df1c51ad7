//! Starting the image under test with testcontainers, and the few Docker look-ups the tests
//! make themselves (image and container inspect data, exec).

use std::time::Duration;

use testcontainers::bollard::Docker;
use testcontainers::bollard::models::{ContainerInspectResponse, ImageInspect, PortBinding};
use testcontainers::bollard::query_parameters::RemoveVolumeOptions;
use testcontainers::core::{ExecCommand, Mount, WaitFor};
use testcontainers::runners::AsyncRunner;
use testcontainers::{ContainerAsync, GenericImage, ImageExt};

/// The tag `.ci/run` builds; `UITID_IMAGE` tests another one.
const DEFAULT_IMAGE: &str = "uitid-emulator:ci";
const PORT: &str = "8080/tcp";

pub fn image() -> String {
    std::env::var("UITID_IMAGE").unwrap_or_else(|_| DEFAULT_IMAGE.to_owned())
}

/// A client for the daemon testcontainers uses (DOCKER_HOST, else the local socket), on the
/// API version that daemon speaks.
pub async fn docker() -> Docker {
    Docker::connect_with_defaults()
        .expect("DOCKER_HOST names no Docker daemon this client can use")
        .negotiate_version()
        .await
        .expect("no Docker daemon answers (start one, or set DOCKER_HOST)")
}

/// The image's inspect data; fails with what to do when the image was not built.
pub async fn inspect_image() -> ImageInspect {
    let image = image();
    let inspect = docker().await.inspect_image(&image).await;
    inspect.unwrap_or_else(|error| {
        panic!(
            "image {image} is not in the local Docker daemon ({error}): build it first \
             with `docker build -t {image} .`, or set UITID_IMAGE to the tag you built"
        )
    })
}

/// A container of the image under test, started once Docker reports it healthy, with port
/// 8080 published on a free loopback port only.
pub struct Emulator {
    pub container: ContainerAsync<GenericImage>,
    pub base_url: String,
}

pub struct Options<'a> {
    pub env: &'a [(&'a str, &'a str)],
    pub data_volume: Option<&'a str>,
}

impl Emulator {
    pub async fn start() -> Self {
        Self::start_with(Options {
            env: &[],
            data_volume: None,
        })
        .await
    }

    pub async fn start_with(options: Options<'_>) -> Self {
        inspect_image().await; // a clear message instead of a failed pull
        let image = image();
        let (name, tag) = match image.rsplit_once(':') {
            Some((name, tag)) if !tag.contains('/') => (name, tag),
            _ => (image.as_str(), "latest"),
        };
        let mut request = GenericImage::new(name, tag)
            .with_wait_for(WaitFor::healthcheck())
            .with_startup_timeout(Duration::from_secs(60))
            .with_host_config_modifier(|host| {
                // Docker picks the host port; 127.0.0.1 keeps it off other interfaces.
                let binding = PortBinding {
                    host_ip: Some("127.0.0.1".to_owned()),
                    host_port: Some(String::new()),
                };
                host.publish_all_ports = Some(false);
                host.port_bindings = Some([(PORT.to_owned(), Some(vec![binding]))].into());
            });
        for (name, value) in options.env {
            request = request.with_env_var(*name, *value);
        }
        if let Some(volume) = options.data_volume {
            request = request.with_mount(Mount::volume_mount(volume, "/data"));
        }
        let container = request
            .start()
            .await
            .unwrap_or_else(|error| panic!("{image} did not start and become healthy: {error}"));
        let port = container
            .get_host_port_ipv4(8080)
            .await
            .expect("port 8080 is published");
        Emulator {
            container,
            base_url: format!("http://127.0.0.1:{port}"),
        }
    }

    pub async fn inspect(&self) -> ContainerInspectResponse {
        docker()
            .await
            .inspect_container(self.container.id(), None)
            .await
            .expect("container inspect")
    }

    /// Runs `command` inside the container: its exit code and standard output.
    pub async fn exec(&self, command: &[&str]) -> (i64, String) {
        let mut result = self
            .container
            .exec(ExecCommand::new(command.iter().copied()))
            .await
            .unwrap_or_else(|error| panic!("exec {command:?}: {error}"));
        // The output ends when the command does; Docker records the exit code around then.
        let stdout = result.stdout_to_vec().await.expect("exec output");
        for _ in 0..50 {
            if let Some(code) = result.exit_code().await.expect("exec inspect") {
                return (code, String::from_utf8_lossy(&stdout).trim().to_owned());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("exec {command:?}: no exit code 5 s after its output ended")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        client()
            .get(format!("{}{path}", self.base_url))
            .send()
            .await
            .unwrap_or_else(|error| panic!("GET {path} through the published port: {error}"))
    }
}

/// A named Docker volume, removed when dropped, also when the test panics. Declare it before
/// the containers that use it, so they are removed first.
pub struct Volume(pub String);

impl Volume {
    pub fn new() -> Self {
        Volume(format!("uitid-image-test-{}", uuid::Uuid::new_v4()))
    }
}

impl Drop for Volume {
    fn drop(&mut self) {
        // Drop cannot await: a thread with a runtime of its own removes it.
        let name = self.0.clone();
        let removal = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            runtime.expect("tokio runtime").block_on(async {
                let docker = docker().await;
                if let Err(error) = docker
                    .remove_volume(&name, None::<RemoveVolumeOptions>)
                    .await
                {
                    eprintln!("could not remove test volume {name}: {error}");
                }
            });
        });
        let _ = removal.join();
    }
}

/// HTTP from the host, redirects not followed (the tokens travel in a Location header).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("reqwest client")
}
