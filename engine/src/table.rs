//! Docker's table output: Go's `text/tabwriter` as the docker CLI configures it.

/// Lays out rows the way `tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)` does: every column but the
/// last is as wide as its widest cell plus 3 spaces, and never narrower than 10.
pub fn render(rows: &[Vec<String>]) -> Vec<String> {
    const MIN_WIDTH: usize = 10;
    const PADDING: usize = 3;
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns.saturating_sub(1)];
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(widths.len()) {
            widths[i] = widths[i].max(cell.chars().count() + PADDING);
        }
    }
    for width in &mut widths {
        *width = (*width).max(MIN_WIDTH);
    }
    rows.iter()
        .map(|row| {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                line.push_str(cell);
                if let Some(width) = widths.get(i).filter(|_| i + 1 < row.len()) {
                    line.extend(std::iter::repeat_n(' ', width - cell.chars().count()));
                }
            }
            line
        })
        .collect()
}

/// Docker's `formatter.Ellipsis`: cut to `max` characters, the last one becoming `…`.
pub fn ellipsis(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Docker's `units.HumanSize`: decimal units, three significant digits ("10.1kB", "124MB").
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1000.0 && unit < UNITS.len() - 1 {
        size /= 1000.0;
        unit += 1;
    }
    format!("{}{}", go_general_3(size), UNITS[unit])
}

/// Go's `%.3g` for 0 ≤ value < 1000: three significant digits, trailing zeros dropped.
fn go_general_3(value: f64) -> String {
    if value == 0.0 {
        return "0".into();
    }
    let magnitude = value.abs().log10().floor() as i32;
    let decimals = (2 - magnitude).max(0) as usize;
    let text = format!("{value:.decimals$}");
    // 999.5 rounds up to four digits, which %g prints in exponent form.
    if text.split('.').next().is_some_and(|whole| whole.len() > 3) {
        return "1e+03".into();
    }
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn columns_pad_like_docker() {
        let lines = render(&[
            row(&["REPOSITORY", "TAG", "IMAGE ID", "SIZE"]),
            row(&["hello-world", "latest", "74cc54e27dc4", "10.1kB"]),
        ]);
        assert_eq!(lines[0], "REPOSITORY    TAG       IMAGE ID       SIZE");
        assert_eq!(lines[1], "hello-world   latest    74cc54e27dc4   10.1kB");
    }

    #[test]
    fn empty_columns_keep_the_minimum_width() {
        let lines = render(&[row(&["PORTS", "NAMES"]), row(&["", "eager_turing"])]);
        assert_eq!(lines, vec!["PORTS     NAMES", "          eager_turing"]);
    }

    #[test]
    fn sizes_match_docker_units() {
        let cases = [
            (0, "0B"),
            (999, "999B"),
            (10_072, "10.1kB"),
            (123_999_000, "124MB"),
            (77_900_000, "77.9MB"),
            (1_050_000_000, "1.05GB"),
            (5_000, "5kB"),
            (999_700, "1e+03kB"),
        ];
        for (bytes, expected) in cases {
            assert_eq!(human_size(bytes), expected);
        }
    }

    #[test]
    fn ellipsis_cuts_long_text() {
        assert_eq!(ellipsis("/hello", 20), "/hello");
        assert_eq!(ellipsis("docker-entrypoint.sh postgres", 20), "docker-entrypoint.s…");
    }
}
