//! Networks end to end: a container on two networks has an interface, a route and DNS on each,
//! and `inspect` lists both; custom subnets and internal networks behave as Docker's do.

use engine::Engine;

fn ok(engine: &mut Engine, line: &str) -> String {
    let outcome = engine.run(line);
    assert_eq!(outcome.exit_code, 0, "{line}: {}", outcome.text());
    outcome.text()
}

#[test]
fn a_container_on_two_networks_has_an_interface_and_names_on_each() {
    let mut engine = Engine::new(9);
    ok(&mut engine, "docker network create --subnet 10.20.0.0/24 back");
    ok(&mut engine, "docker run -d --name app busybox sleep 1000");
    ok(&mut engine, "docker run -d --name db --network back busybox sleep 1000");
    assert_eq!(engine.run("docker exec app ping -c 1 db").exit_code, 1);
    ok(&mut engine, "docker network connect back app");
    assert!(ok(&mut engine, "docker exec app ping -c 1 db").starts_with("PING db (10.20.0.2)"));
    let addresses = ok(&mut engine, "docker exec app ip addr show eth1");
    assert!(addresses.contains("inet 10.20.0.3/24 brd 10.20.0.255 scope global eth1"), "{addresses}");
    assert!(ok(&mut engine, "docker exec app ip route").contains("10.20.0.0/24 dev eth1 proto kernel scope link src 10.20.0.3"));
    assert_eq!(
        ok(&mut engine, "docker inspect app --format '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}}/{{$v.IPPrefixLen}} {{end}}'"),
        "back=10.20.0.3/24 bridge=172.17.0.2/16 \n"
    );
    assert_eq!(ok(&mut engine, "docker inspect db --format '{{json .NetworkSettings.Networks.back.DNSNames}}'").len() > 4, true);
    // The host side has one veth per interface, each on its own bridge.
    let host = ok(&mut engine, "ip addr");
    assert_eq!(host.matches("master br-").count(), 2, "{host}");
    assert_eq!(host.matches("master docker0").count(), 1, "{host}");
    ok(&mut engine, "docker network disconnect back app");
    assert_eq!(engine.run("docker exec app ip addr show eth1").exit_code, 1);
}
