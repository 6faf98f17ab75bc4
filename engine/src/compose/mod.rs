//! Docker Compose v2's model: compose files loaded as compose-go loads them (YAML, `.env`,
//! interpolation, include/extends, profiles, validation) into a typed `Project`, and the
//! canonical YAML `docker compose config` prints.

mod canonical;
pub mod dotenv;
mod emit;
pub mod interpolate;
mod load;
pub mod model;
mod validate;
pub mod yaml;

pub use canonical::{parse_port, shell_split};
pub use emit::to_yaml;
pub use validate::container_name_error;
pub use load::{load, load_with_warnings, normalize_project_name, LoadError, Loaded, Options, Reader, DEFAULT_FILES};
