//! BuildKit's progress output: the `--progress=plain` log and the tty summary, from one list of
//! vertices.

use crate::table::human_size;

/// One line of work BuildKit reports (`#5 [2/4] COPY . .`).
#[derive(Debug, Clone, Default)]
pub struct Vertex {
    pub name: String,
    pub cached: bool,
    /// Simulated milliseconds.
    pub duration: u64,
    /// Sub-steps (`transferring context: 1.2kB`) and how long each took.
    pub details: Vec<(String, u64)>,
    /// Output of a RUN, with milliseconds since the step started.
    pub logs: Vec<(u64, String)>,
    pub error: Option<String>,
}

/// Width the tty summary is laid out for.
const WIDTH: usize = 80;

fn seconds(millis: u64) -> String {
    format!("{:.1}s", millis as f64 / 1000.0)
}

/// `--progress=plain`.
pub fn plain(vertices: &[Vertex]) -> Vec<String> {
    let mut lines = vec!["#0 building with \"default\" instance using docker driver".to_string(), String::new()];
    for (index, vertex) in vertices.iter().enumerate() {
        let n = index + 1;
        lines.push(format!("#{n} {}", vertex.name));
        if vertex.cached {
            lines.push(format!("#{n} CACHED"));
            lines.push(String::new());
            continue;
        }
        for (detail, millis) in &vertex.details {
            if *millis >= 50 {
                lines.push(format!("#{n} {detail} {} done", seconds(*millis)));
            } else {
                lines.push(format!("#{n} {detail} done"));
            }
        }
        for (offset, text) in &vertex.logs {
            lines.push(format!("#{n} {:.3} {text}", *offset as f64 / 1000.0));
        }
        match &vertex.error {
            Some(error) => lines.push(format!("#{n} ERROR: {error}")),
            None => lines.push(format!("#{n} DONE {}", seconds(vertex.duration))),
        }
        lines.push(String::new());
    }
    if lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// The summary a terminal shows once the build ends.
pub fn tty(vertices: &[Vertex], total: u64, failed: bool) -> Vec<String> {
    let done = vertices.iter().filter(|v| v.error.is_none()).count();
    // A failed build's header does not claim to have finished.
    let head = if failed {
        format!("[+] Building {} ({done}/{})", seconds(total), vertices.len())
    } else {
        format!("[+] Building {} ({done}/{}) FINISHED", seconds(total), vertices.len())
    };
    let driver = "docker:default";
    let mut lines = vec![format!("{head}{}{driver}", " ".repeat(WIDTH.saturating_sub(head.len() + driver.len()).max(1)))];
    for vertex in vertices {
        let label = match (&vertex.error, vertex.cached) {
            (Some(_), _) => format!(" => ERROR {}", vertex.name),
            (None, true) => format!(" => CACHED {}", vertex.name),
            (None, false) => format!(" => {}", vertex.name),
        };
        lines.push(row(&label, vertex.duration));
        if !vertex.cached {
            for (detail, millis) in &vertex.details {
                lines.push(row(&format!(" => => {detail}"), *millis));
            }
        }
    }
    lines
}

fn row(label: &str, millis: u64) -> String {
    let time = seconds(millis);
    let room = WIDTH - 1 - time.len();
    let label: String = if label.chars().count() > room - 1 {
        label.chars().take(room - 1).collect()
    } else {
        label.to_string()
    };
    format!("{label:<room$}{time:>width$}", width = time.len() + 1)
}

/// `1.23kB` the way BuildKit prints transfer sizes.
pub fn transfer_size(bytes: u64) -> String {
    human_size(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vertex(name: &str, cached: bool, duration: u64) -> Vertex {
        Vertex { name: name.into(), cached, duration, ..Vertex::default() }
    }

    #[test]
    fn plain_marks_cached_steps_and_logs() {
        let mut run = vertex("[2/2] RUN echo hi", false, 400);
        run.logs.push((120, "hi".into()));
        let lines = plain(&[vertex("[1/2] FROM docker.io/library/alpine:3.19", true, 0), run]);
        assert_eq!(
            lines,
            [
                "#0 building with \"default\" instance using docker driver",
                "",
                "#1 [1/2] FROM docker.io/library/alpine:3.19",
                "#1 CACHED",
                "",
                "#2 [2/2] RUN echo hi",
                "#2 0.120 hi",
                "#2 DONE 0.4s",
            ]
        );
    }

    #[test]
    fn tty_rows_align_durations_on_the_right() {
        let lines = tty(&[vertex("[2/3] COPY . .", true, 0), vertex("[3/3] RUN make", false, 12_345)], 13_000, false);
        assert_eq!(lines[0].len(), WIDTH);
        assert!(lines[0].starts_with("[+] Building 13.0s (2/2) FINISHED"));
        assert!(lines[1].starts_with(" => CACHED [2/3] COPY . .") && lines[1].ends_with(" 0.0s"));
        assert!(lines[2].ends_with("12.3s") && lines[2].len() == WIDTH);
    }
}
