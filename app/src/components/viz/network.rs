//! The network view: each bridge with its containers and their IPs (internal and DNS-serving
//! networks marked), ports published on the host, compose projects, and the last command's name
//! lookup travelling to the embedded DNS and back (or failing).

use leptos::prelude::*;

use super::{last_command_and_output, TextAlternative};
use crate::state::Terminal;
use crate::viz_model::network::{self, DnsQuery, NetView, NetworkModel};

#[component]
pub fn NetworkView(terminal: RwSignal<Terminal, LocalStorage>, revision: Memo<u64>) -> impl IntoView {
    let model = Memo::new(move |_| {
        let _ = revision.get();
        terminal.with_untracked(|t| {
            let (command, output) = last_command_and_output(t);
            network::model(t.engine().world(), &command, &output)
        })
    });
    move || {
        let m = model.get();
        view! {
            <h2 class="viz-title">"Networks"</h2>
            {m.dns.as_ref().map(dns)}
            <div class="net-host" aria-hidden="true">
                <strong>"Host"</strong>
                {if m.ports.is_empty() {
                    view! { <p class="muted">"No ports published. " <code>"-p 8080:80"</code> " forwards one."</p> }.into_any()
                } else {
                    view! {
                        <ul class="port-list" data-testid="port-list">
                            {m.ports.iter().map(|p| view! {
                                <li><code>{p.host.clone()}</code><span class="port-arrow">" → "</span><code>{format!("{}:{}", p.container, p.target)}</code></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </div>
            <div class="net-list" aria-hidden="true">
                {m.networks.iter().map(|n| network_card(n, &m)).collect_view()}
            </div>
            <TextAlternative>{describe(&m)}</TextAlternative>
        }
    }
}

fn project_of(m: &NetworkModel, container: &str) -> Option<String> {
    m.projects.iter().find(|(_, members)| members.iter().any(|c| c == container)).map(|(p, _)| p.clone())
}

fn network_card(n: &NetView, m: &NetworkModel) -> impl IntoView + use<> {
    view! {
        <article class="net-card" class:internal=n.internal data-network=n.name.clone()>
            <header>
                <strong>{n.name.clone()}</strong>
                <span class="muted">{format!(" {} {}", n.driver, n.subnet)}</span>
                {n.internal.then(|| view! { <span class="badge miss">"internal: no way out"</span> })}
                {n.dns.then(|| view! { <span class="badge cached">"DNS by name"</span> })}
            </header>
            {if n.nodes.is_empty() {
                view! { <p class="muted">"no containers"</p> }.into_any()
            } else {
                view! {
                    <ul class="net-nodes">
                        {n.nodes.iter().map(|node| {
                            let project = project_of(m, &node.name);
                            let in_project = project.is_some();
                            view! {
                                <li class="net-node" class:stopped=!node.running class:compose=in_project>
                                    {project.map(|p| view! { <span class="net-project">{p}</span> })}
                                    <span class="net-name">{node.name.clone()}</span>
                                    <code class="net-ip">{node.ip.clone()}</code>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </article>
    }
}

fn dns(query: &DnsQuery) -> impl IntoView + use<> {
    let ok = query.answer.is_some();
    let answer = query.answer.clone().unwrap_or_else(|| "no such host".into());
    view! {
        <div class="dns" class:failed=!ok data-testid="dns-query" aria-hidden="true">
            <span class="dns-end">{query.from.clone()}</span>
            <span class="dns-wire"><span class="dns-packet"></span><span class="dns-question">{format!("{}?", query.name)}</span></span>
            <span class="dns-end">"DNS 127.0.0.11"</span>
            <span class="dns-answer">{if ok { format!("→ {answer}") } else { format!("✗ {answer}") }}</span>
        </div>
    }
}

fn describe(m: &NetworkModel) -> impl IntoView + use<> {
    let mut facts = Vec::new();
    if let Some(q) = &m.dns {
        facts.push(match &q.answer {
            Some(ip) => format!("{} looked up {}: the embedded DNS answered {ip}.", q.from, q.name),
            None => format!("{} looked up {}: no answer (names resolve only on a user-defined network both containers share).", q.from, q.name),
        });
    }
    for n in &m.networks {
        let mut words = format!("Network {} ({} {})", n.name, n.driver, n.subnet);
        if n.internal {
            words.push_str(", internal");
        }
        if n.dns {
            words.push_str(", containers find each other by name");
        }
        let nodes: Vec<String> = n.nodes.iter().map(|c| format!("{} at {}{}", c.name, c.ip, if c.running { "" } else { " (stopped)" })).collect();
        words.push_str(&if nodes.is_empty() { ": no containers.".to_string() } else { format!(": {}.", nodes.join(", ")) });
        facts.push(words);
    }
    for p in &m.ports {
        facts.push(format!("Host {} forwards to {} port {}.", p.host, p.container, p.target));
    }
    for (project, members) in &m.projects {
        facts.push(format!("Compose project {project}: {}.", members.join(", ")));
    }
    super::fact_list(facts)
}
