//! The namespaces view: one container next to the host — PID 1 inside against its host PID,
//! hostname, namespace inodes (shared ones marked), mounts and writable layer, and its cgroup's
//! memory gauge and CPU figures.

use leptos::prelude::*;

use super::{chosen, ContainerPicker, Empty, TextAlternative};
use crate::state::Terminal;
use crate::viz_model::human_size;
use crate::viz_model::namespaces::{self, NamespacesModel};

/// What `docker info` reports as the host's memory: the ceiling without `--memory`.
const HOST_MEMORY: u64 = 4_104_979_456;

#[component]
pub fn NamespacesView(terminal: RwSignal<Terminal, LocalStorage>, revision: Memo<u64>) -> impl IntoView {
    let selected = RwSignal::new(String::new());
    let names = Memo::new(move |_| {
        let _ = revision.get();
        terminal.with_untracked(|t| t.engine().world().containers().iter().map(|c| c.name.clone()).collect::<Vec<_>>())
    });
    let model = Memo::new(move |_| {
        let _ = revision.get();
        let name = chosen(&names.get(), &selected.get())?;
        terminal.with_untracked(|t| namespaces::model(t.engine().world(), &name))
    });
    view! {
        <h2 class="viz-title">"Namespaces & cgroups"</h2>
        <ContainerPicker names=Signal::derive(move || names.get()) selected=selected />
        {move || match model.get() {
            None => view! { <Empty message="No containers yet." hint="docker run -d --name web nginx" /> }.into_any(),
            Some(m) => body(&m).into_any(),
        }}
    }
}

fn body(m: &NamespacesModel) -> impl IntoView + use<> {
    let limit = m.memory_limit.unwrap_or(HOST_MEMORY);
    let percent = (m.memory_used as f64 / limit.max(1) as f64 * 100.0).min(100.0);
    let memory_label = format!(
        "{} of {}{}",
        human_size(m.memory_used),
        human_size(limit),
        if m.memory_limit.is_none() { " (no --memory limit: the host's memory)" } else { " (--memory)" }
    );
    let pid = match m.host_pid {
        Some(pid) => format!("PID 1 inside is PID {pid} on the host"),
        None => "no process running".to_string(),
    };
    let cpu = format!(
        "CPU {:.2} of {}{}",
        m.cpu_used as f64 / 1000.0,
        m.cpu_limit.map_or("the host's 2 CPUs".to_string(), |l| format!("{:.2} (--cpus)", l as f64 / 1000.0)),
        if m.cpu_throttled() { format!(", throttled: wants {:.2}", m.cpu_wanted as f64 / 1000.0) } else { String::new() }
    );
    let facts = {
        let mut facts = vec![
            format!("{}: {pid}; hostname {}.", m.name, m.hostname),
            format!("Memory: {memory_label}{}.", if m.oom_killed { "; killed by the OOM killer" } else { "" }),
            format!("{cpu}."),
            format!("Writable layer: {} in {} changes; removed with the container.", human_size(m.writable_layer_bytes), m.writable_layer_changes),
        ];
        for ns in &m.namespaces {
            facts.push(format!(
                "{} namespace: container {} vs host {}: {}.",
                ns.kind,
                ns.container,
                ns.host,
                if ns.shared() { "shared with the host" } else { "isolated" }
            ));
        }
        for mount in &m.mounts {
            facts.push(format!("Mount {} {} at {}{}.", mount.kind, mount.source, mount.destination, if mount.read_only { " (read-only)" } else { "" }));
        }
        facts
    };
    view! {
        <div class="ns-grid" aria-hidden="true">
            <section class="ns-box">
                <h3>"Process"</h3>
                <p data-testid="ns-pid">{pid.clone()}</p>
                <p>"hostname " <code>{m.hostname.clone()}</code></p>
            </section>
            <section class="ns-box">
                <h3>"Memory"</h3>
                <div class="gauge" class:oom=m.oom_killed data-testid="ns-memory">
                    <span class="gauge-fill" style=format!("width: {percent:.1}%")></span>
                </div>
                <p>{memory_label.clone()}{m.oom_killed.then(|| view! { <span class="badge miss">"OOM killed"</span> })}</p>
                <p>{cpu.clone()}{m.cpu_throttled().then(|| view! { <span class="badge miss">"throttled"</span> })}</p>
            </section>
        </div>
        <table class="ns-table" aria-hidden="true">
            <thead><tr><th>"namespace"</th><th>"container"</th><th>"host"</th></tr></thead>
            <tbody>
                {m.namespaces.iter().map(|ns| view! {
                    <tr class:shared=ns.shared()>
                        <td>{ns.kind}</td>
                        <td><code>{ns.container.to_string()}</code></td>
                        <td><code>{ns.host.to_string()}</code>{ns.shared().then_some(" shared")}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <section class="ns-mounts" aria-hidden="true">
            <h3>"Filesystem"</h3>
            <ul>
                {m.mounts.iter().map(|mount| view! {
                    <li><code>{mount.destination.clone()}</code>" ← "{format!("{} {}", mount.kind, mount.source)}{mount.read_only.then_some(" (ro)")}</li>
                }).collect_view()}
                <li>{format!("writable layer: {} ({} changes)", human_size(m.writable_layer_bytes), m.writable_layer_changes)}</li>
            </ul>
        </section>
        <TextAlternative>
            {super::fact_list(facts)}
        </TextAlternative>
    }
}
