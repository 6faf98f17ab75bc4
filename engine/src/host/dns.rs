//! A real DNS server (hickory-server) that answers container names the way Docker's embedded
//! resolver at 127.0.0.11 does on a user-defined network: A records from a table of names,
//! NXDOMAIN for anything else.
//!
//! Docker forwards names it does not know to the host's resolvers; the demo's networks have no
//! way out, so this server answers NXDOMAIN instead of forwarding.

use std::collections::BTreeMap;
use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, UdpSocket};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use hickory_proto::op::{Header, ResponseCode};
use hickory_proto::rr::rdata::A;
use hickory_proto::rr::{Name, RData, Record, RecordType};
use hickory_server::authority::MessageResponseBuilder;
use hickory_server::server::{Request, RequestHandler, ResponseHandler, ResponseInfo};
use hickory_server::ServerFuture;

/// Docker's embedded DNS answers with a TTL of 600 seconds.
const TTL: u32 = 600;

/// What the resolver says about one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The name is a container on this network: its address.
    Address(Ipv4Addr),
    /// The name is known but has no record of the asked type (AAAA on an IPv4-only network):
    /// NOERROR with no answers, so `nslookup` does not report the name as missing.
    NoData,
    /// Not a container name (Docker would ask the host's resolvers here).
    NxDomain,
}

/// Container names and their addresses on one network; names compare case-insensitively and
/// with or without the root's trailing dot, as DNS names do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    names: BTreeMap<String, Ipv4Addr>,
}

impl Table {
    pub fn new() -> Table {
        Table::default()
    }

    pub fn insert(&mut self, name: &str, address: Ipv4Addr) {
        self.names.insert(normalise(name), address);
    }

    /// The answer to a question for `name` of type `kind`.
    pub fn answer(&self, name: &str, kind: RecordType) -> Answer {
        match self.names.get(&normalise(name)) {
            None => Answer::NxDomain,
            Some(address) if kind == RecordType::A || kind == RecordType::ANY => Answer::Address(*address),
            Some(_) => Answer::NoData,
        }
    }
}

fn normalise(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// The hickory request handler over a [`Table`]; it also keeps a log of the questions it was
/// asked, so the demo can show that the lookup reached this server.
#[derive(Debug, Clone)]
pub struct NameHandler {
    table: Arc<Table>,
    log: Arc<Mutex<Vec<String>>>,
}

impl NameHandler {
    pub fn new(table: Table) -> NameHandler {
        NameHandler { table: Arc::new(table), log: Arc::new(Mutex::new(Vec::new())) }
    }

    /// One line per question answered so far: `db. A -> 10.89.1.3`, `nosuch. A -> NXDOMAIN`.
    pub fn log(&self) -> Arc<Mutex<Vec<String>>> {
        Arc::clone(&self.log)
    }

    async fn respond<R: ResponseHandler>(&self, request: &Request, mut response_handle: R) -> ResponseInfo {
        let mut header = Header::response_from_request(request.header());
        // Docker's resolver says it recurses (it forwards for the host); without the flag
        // nslookup prints "Got recursion not available".
        header.set_recursion_available(true);
        let builder = MessageResponseBuilder::from_message_request(request);
        let query = match request.request_info() {
            Ok(info) => info.query.clone(),
            Err(_) => {
                header.set_response_code(ResponseCode::FormErr);
                let response = builder.build_no_records(header);
                return response_handle.send_response(response).await.unwrap_or_else(|_| header.into());
            }
        };
        let name = query.name().to_string();
        let kind = query.query_type();
        let answer = self.table.answer(&name, kind);
        let mut records = Vec::new();
        let said = match answer {
            Answer::Address(address) => {
                let owner = Name::from(query.name().clone());
                records.push(Record::from_rdata(owner, TTL, RData::A(A(address))));
                address.to_string()
            }
            Answer::NoData => "no records (NOERROR)".to_string(),
            Answer::NxDomain => {
                header.set_response_code(ResponseCode::NXDomain);
                "NXDOMAIN".to_string()
            }
        };
        if let Ok(mut log) = self.log.lock() {
            log.push(format!("{name} {kind} -> {said}"));
        }
        let response = builder.build(header, records.iter(), [], [], []);
        response_handle.send_response(response).await.unwrap_or_else(|_| header.into())
    }
}

// hickory declares the trait with `#[async_trait]`; this is the method that macro would
// write, spelled out so the engine needs no proc-macro crate of its own.
impl RequestHandler for NameHandler {
    fn handle_request<'life0, 'life1, 'async_trait, R>(
        &'life0 self,
        request: &'life1 Request,
        response_handle: R,
    ) -> Pin<Box<dyn Future<Output = ResponseInfo> + Send + 'async_trait>>
    where
        R: ResponseHandler + 'async_trait,
        'life0: 'async_trait,
        'life1: 'async_trait,
        Self: 'async_trait,
    {
        Box::pin(self.respond(request, response_handle))
    }
}

/// A running server: a current-thread tokio runtime on its own thread, serving every socket
/// it was given. Dropping it stops the server and joins the thread.
#[derive(Debug)]
pub struct DnsServer {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    log: Arc<Mutex<Vec<String>>>,
}

impl DnsServer {
    /// Serves `table` on already-bound UDP sockets. The sockets may belong to other network
    /// namespaces (a socket stays in the namespace it was made in), which is how one server
    /// answers at 127.0.0.11 inside every container.
    pub fn start(table: Table, sockets: Vec<UdpSocket>) -> io::Result<DnsServer> {
        let handler = NameHandler::new(table);
        let log = handler.log();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<io::Result<()>>();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let thread = std::thread::Builder::new().name("whalebox-dns".into()).spawn(move || {
            runtime.block_on(async move {
                let mut server = ServerFuture::new(handler);
                for socket in sockets {
                    if let Err(error) = server.register_socket_std(socket) {
                        let _ = ready_tx.send(Err(error));
                        return;
                    }
                }
                let _ = ready_tx.send(Ok(()));
                tokio::select! {
                    _ = stopped => {}
                    _ = server.block_until_done() => {}
                }
                let _ = server.shutdown_gracefully().await;
            });
        })?;
        let mut server = DnsServer { stop: Some(stop), thread: Some(thread), log };
        match ready_rx.recv() {
            Ok(Ok(())) => Ok(server),
            Ok(Err(error)) => Err(error),
            Err(_) => {
                server.shutdown();
                Err(io::Error::other("the DNS server's thread ended before it served"))
            }
        }
    }

    /// The questions answered so far (see [`NameHandler::log`]).
    pub fn log(&self) -> Vec<String> {
        self.log.lock().map(|log| log.clone()).unwrap_or_default()
    }

    fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for DnsServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::op::{Message, MessageType, OpCode, Query};
    use hickory_proto::serialize::binary::{BinDecodable, BinEncodable};
    use std::str::FromStr;
    use std::time::Duration;

    fn table() -> Table {
        let mut table = Table::new();
        table.insert("web", Ipv4Addr::new(10, 89, 1, 2));
        table.insert("db", Ipv4Addr::new(10, 89, 1, 3));
        table
    }

    #[test]
    fn names_answer_with_or_without_the_dot_in_any_case() {
        let table = table();
        assert_eq!(table.answer("web", RecordType::A), Answer::Address(Ipv4Addr::new(10, 89, 1, 2)));
        assert_eq!(table.answer("db.", RecordType::A), Answer::Address(Ipv4Addr::new(10, 89, 1, 3)));
        assert_eq!(table.answer("DB.", RecordType::A), Answer::Address(Ipv4Addr::new(10, 89, 1, 3)));
        assert_eq!(table.answer("Web", RecordType::A), Answer::Address(Ipv4Addr::new(10, 89, 1, 2)));
        assert_eq!(table.answer("db", RecordType::AAAA), Answer::NoData);
        assert_eq!(table.answer("cache", RecordType::A), Answer::NxDomain);
        assert_eq!(table.answer("web.example.com.", RecordType::A), Answer::NxDomain);
    }

    /// Asks over a real UDP socket (127.0.0.1, a port the kernel picks: no root needed) with a
    /// query hickory builds, and reads hickory's decoding of the reply.
    fn ask(server_port: u16, name: &str, kind: RecordType) -> Message {
        let client = UdpSocket::bind("127.0.0.1:0").unwrap();
        client.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut query = Message::new();
        query.set_id(4242).set_message_type(MessageType::Query).set_op_code(OpCode::Query).set_recursion_desired(true);
        query.add_query(Query::query(Name::from_str(name).unwrap(), kind));
        client.send_to(&query.to_bytes().unwrap(), ("127.0.0.1", server_port)).unwrap();
        let mut buffer = [0u8; 512];
        let (length, _) = client.recv_from(&mut buffer).unwrap();
        Message::from_bytes(&buffer[..length]).unwrap()
    }

    #[test]
    fn a_real_server_answers_names_and_nxdomain_over_udp() {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        let port = socket.local_addr().unwrap().port();
        let server = DnsServer::start(table(), vec![socket]).unwrap();

        let reply = ask(port, "db.", RecordType::A);
        assert_eq!(reply.id(), 4242);
        assert_eq!(reply.response_code(), ResponseCode::NoError);
        assert!(reply.recursion_available());
        let addresses: Vec<_> = reply.answers().iter().map(|r| r.data().clone()).collect();
        assert_eq!(addresses, vec![RData::A(A(Ipv4Addr::new(10, 89, 1, 3)))]);
        assert_eq!(reply.answers()[0].ttl(), TTL);

        let reply = ask(port, "WEB.", RecordType::A);
        assert_eq!(reply.answers().len(), 1);
        assert_eq!(reply.answers()[0].data(), &RData::A(A(Ipv4Addr::new(10, 89, 1, 2))));

        let reply = ask(port, "web.", RecordType::AAAA);
        assert_eq!(reply.response_code(), ResponseCode::NoError);
        assert!(reply.answers().is_empty());

        let reply = ask(port, "nosuch.", RecordType::A);
        assert_eq!(reply.response_code(), ResponseCode::NXDomain);
        assert!(reply.answers().is_empty());

        let log = server.log();
        assert_eq!(log.len(), 4, "{log:?}");
        assert_eq!(log[0], "db. A -> 10.89.1.3");
        assert_eq!(log[3], "nosuch. A -> NXDOMAIN");
        drop(server);
    }

    #[test]
    fn an_empty_table_knows_no_names() {
        let table = Table::new();
        assert_eq!(table.answer("web", RecordType::A), Answer::NxDomain);
    }
}
