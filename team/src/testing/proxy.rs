//! An in-process TCP proxy for network-cut tests: clients connect to 127.0.0.1:`port()`, and it relays
//! to the server (a TCP address or a unix socket), counting bytes each way. Armed with
//! [`Proxy::cut_after`], it forwards exactly N more bytes in one direction and then cuts every
//! connection, as a network that drops mid-message would.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

/// Where the proxy relays to.
#[derive(Debug, Clone)]
pub enum Upstream {
    Tcp(SocketAddr),
    Unix(PathBuf),
}

/// A direction of traffic through the proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Client to server.
    Up,
    /// Server to client.
    Down,
}

#[derive(Default)]
struct State {
    bytes: [u64; 2],
    /// Bytes still let through in a direction before the cut.
    budget: [Option<u64>; 2],
    /// Both ends of every connection, to cut them all at once.
    open: Vec<(TcpStream, Box<dyn Stream>)>,
    cuts: usize,
}

trait Stream: Read + Write + Send {
    fn clone_box(&self) -> std::io::Result<Box<dyn Stream>>;
    fn cut(&self);
}

impl Stream for TcpStream {
    fn clone_box(&self) -> std::io::Result<Box<dyn Stream>> {
        Ok(Box::new(self.try_clone()?))
    }
    fn cut(&self) {
        let _ = self.shutdown(Shutdown::Both);
    }
}

impl Stream for UnixStream {
    fn clone_box(&self) -> std::io::Result<Box<dyn Stream>> {
        Ok(Box::new(self.try_clone()?))
    }
    fn cut(&self) {
        let _ = self.shutdown(Shutdown::Both);
    }
}

/// A running proxy; it stops accepting when dropped.
pub struct Proxy {
    port: u16,
    state: Arc<Mutex<State>>,
    stopped: Arc<AtomicBool>,
}

impl Proxy {
    /// Starts relaying from 127.0.0.1 (a free port) to `upstream`.
    pub fn start(upstream: Upstream) -> std::io::Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let state = Arc::new(Mutex::new(State::default()));
        let stopped = Arc::new(AtomicBool::new(false));
        let (st, stop) = (state.clone(), stopped.clone());
        thread::spawn(move || {
            for client in listener.incoming() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(client) = client {
                    let _ = relay(client, &upstream, &st);
                }
            }
        });
        Ok(Proxy { port, state, stopped })
    }

    /// The port clients connect to, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Bytes relayed so far in `direction`, every connection together.
    pub fn bytes(&self, direction: Direction) -> u64 {
        lock(&self.state).bytes[direction as usize]
    }

    /// Lets `n` more bytes through in `direction`, then cuts every connection.
    pub fn cut_after(&self, direction: Direction, n: u64) {
        let mut state = lock(&self.state);
        state.budget[direction as usize] = Some(n);
        if n == 0 {
            cut_all(&mut state);
        }
    }

    /// Cuts every connection now.
    pub fn cut(&self) {
        cut_all(&mut lock(&self.state));
    }

    /// How many times the connections were cut.
    pub fn cuts(&self) -> usize {
        lock(&self.state).cuts
    }

    /// Lets traffic through again without limit (connections cut stay cut).
    pub fn heal(&self) {
        lock(&self.state).budget = [None, None];
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        self.cut();
    }
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

fn cut_all(state: &mut State) {
    for (client, server) in state.open.drain(..) {
        let _ = client.shutdown(Shutdown::Both);
        server.cut();
    }
    state.cuts += 1;
}

fn relay(client: TcpStream, upstream: &Upstream, state: &Arc<Mutex<State>>) -> std::io::Result<()> {
    let server: Box<dyn Stream> = match upstream {
        Upstream::Tcp(addr) => Box::new(TcpStream::connect(addr)?),
        Upstream::Unix(path) => Box::new(UnixStream::connect(path)?),
    };
    {
        let mut st = lock(state);
        if st.budget.contains(&Some(0)) {
            let _ = client.shutdown(Shutdown::Both);
            server.cut();
            return Ok(());
        }
        st.open.push((client.try_clone()?, server.clone_box()?));
    }
    let up = (Box::new(client.try_clone()?) as Box<dyn Stream>, server.clone_box()?);
    let down = (server, Box::new(client) as Box<dyn Stream>);
    for (direction, (from, to)) in [(Direction::Up, up), (Direction::Down, down)] {
        let state = state.clone();
        thread::spawn(move || pump(direction, from, to, &state));
    }
    Ok(())
}

/// Copies one direction until either end closes or the budget runs out.
fn pump(direction: Direction, mut from: Box<dyn Stream>, mut to: Box<dyn Stream>, state: &Mutex<State>) {
    let d = direction as usize;
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let (pass, cut) = {
            let mut st = lock(state);
            match st.budget[d] {
                Some(left) if (n as u64) >= left => {
                    st.budget[d] = Some(0);
                    (left as usize, true)
                }
                Some(left) => {
                    st.budget[d] = Some(left - n as u64);
                    (n, false)
                }
                None => (n, false),
            }
        };
        if to.write_all(&buf[..pass]).is_err() {
            break;
        }
        lock(state).bytes[d] += pass as u64;
        if cut {
            let _ = to.flush();
            cut_all(&mut lock(state));
            break;
        }
    }
    from.cut();
    to.cut();
}
