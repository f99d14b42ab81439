//! `cargo xtask serve`, and the small static-file HTTP/1.1 server behind it
//! (also used by `cargo xtask test`). GET and HEAD only, one thread per
//! connection, one request per connection, loopback only, never cached.

use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

use crate::{build, setup, Args, Result};

/// Port `cargo xtask serve` tries first.
const DEFAULT_PORT: u16 = 8080;

/// Largest request head (request line + headers) the server reads.
const MAX_HEAD_BYTES: u64 = 16 * 1024;

/// Runs `cargo xtask serve [--port N]`: build, then serve `www/` until Ctrl-C.
pub fn cmd(mut args: Args) -> Result {
    let port = match args.value("--port")? {
        Some(port) => port
            .parse()
            .map_err(|_| format!("--port wants a number from 0 to 65535, not `{port}`"))?,
        None => DEFAULT_PORT,
    };
    args.finish()?;
    setup::wasm_target()?;
    build::build()?;
    let www = build::www_dir();
    let addr = match start(&www, port, true) {
        Err(err) if err.kind() == io::ErrorKind::AddrInUse && port != 0 => {
            println!("port {port} is taken; using a free one");
            start(&www, 0, true)?
        }
        bound => bound?,
    };
    println!("EM Lab is at http://{addr}/  (Ctrl-C stops it)");
    loop {
        thread::park();
    }
}

/// Binds 127.0.0.1:`port` (0 = any free port), serves `root` from a background
/// thread for the rest of the process, and returns the bound address.
/// With `log`, prints one line per request to stderr.
pub fn start(root: &Path, port: u16, log: bool) -> io::Result<SocketAddr> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))?;
    let addr = listener.local_addr()?;
    let root = root.to_path_buf();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            thread::spawn(move || {
                // A client that hangs up early is not our problem.
                let _ = handle(stream, &root, log);
            });
        }
    });
    Ok(addr)
}

/// What to send back for one request.
enum Reply {
    /// 200 with this file's contents.
    File(PathBuf),
    /// 301 to this location.
    Redirect(String),
    /// An error status with a short plain-text body.
    Error(u16),
}

/// Reads one request from `stream`, answers it and closes the connection.
fn handle(stream: TcpStream, root: &Path, log: bool) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new((&stream).take(MAX_HEAD_BYTES));
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Skip the headers; none of them changes the answer.
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 {
            return Ok(()); // Connection closed or head too large.
        }
        if header.trim_end().is_empty() {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let reply = match method {
        "GET" | "HEAD" => route(root, target),
        _ => Reply::Error(405),
    };
    let (status, headers, body) = match reply {
        Reply::File(path) => match fs::read(&path) {
            Ok(body) => (
                200,
                vec![("Content-Type", mime_type(&path).to_owned())],
                body,
            ),
            Err(_) => error_reply(500),
        },
        Reply::Redirect(location) => {
            let (status, mut headers, body) = error_reply(301);
            headers.push(("Location", location));
            (status, headers, body)
        }
        Reply::Error(status) => error_reply(status),
    };
    if log {
        eprintln!("{status} {method} {target}");
    }
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in &headers {
        head += &format!("{name}: {value}\r\n");
    }
    if status == 405 {
        head += "Allow: GET, HEAD\r\n";
    }
    head += &format!(
        "Content-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    let mut stream = &stream;
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}

/// A plain-text reply for a non-200 status.
fn error_reply(status: u16) -> (u16, Vec<(&'static str, String)>, Vec<u8>) {
    let content_type = ("Content-Type", "text/plain; charset=utf-8".to_owned());
    let body = format!("{status} {}\n", reason(status)).into_bytes();
    (status, vec![content_type], body)
}

/// The reason phrase for the statuses this server sends.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Internal Server Error",
    }
}

/// Maps a request target such as `/pkg/emlab.js?v=1` to a file under `root`.
fn route(root: &Path, target: &str) -> Reply {
    let url_path = target.split(['?', '#']).next().unwrap_or_default();
    if !url_path.starts_with('/') {
        return Reply::Error(400);
    }
    let Some(decoded) = percent_decode(url_path) else {
        return Reply::Error(400);
    };
    if decoded.contains(['\0', '\\']) {
        return Reply::Error(400);
    }
    let mut path = root.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            ".." => return Reply::Error(403),
            "" | "." => {}
            segment => path.push(segment),
        }
    }
    if path.is_dir() {
        if !url_path.ends_with('/') {
            return Reply::Redirect(format!("{url_path}/"));
        }
        path.push("index.html");
    }
    if path.is_file() {
        Reply::File(path)
    } else {
        Reply::Error(404)
    }
}

/// Decodes `%XX` escapes; `None` if one is malformed or the result is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type for a file, from its extension.
fn mime_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|ext| ext.to_str()).unwrap_or("");
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" | "map" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        // TypeScript declarations (pkg/emlab.d.ts): shown as text, not `video/mp2t`.
        "ts" | "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Shutdown;
    use std::time::{SystemTime, UNIX_EPOCH};

    fn status_of(reply: Reply) -> u16 {
        match reply {
            Reply::File(_) => 200,
            Reply::Redirect(_) => 301,
            Reply::Error(status) => status,
        }
    }

    #[test]
    fn rejects_traversal_and_bad_targets() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(status_of(route(root, "/../Cargo.toml")), 403);
        assert_eq!(status_of(route(root, "/src/%2e%2e/Cargo.toml")), 403);
        assert_eq!(status_of(route(root, "/src/..%2f..%2fCargo.toml")), 403);
        assert_eq!(status_of(route(root, "/%zz")), 400);
        assert_eq!(status_of(route(root, "/a%5cb")), 400);
        assert_eq!(status_of(route(root, "Cargo.toml")), 400);
        assert_eq!(status_of(route(root, "/Cargo.toml?x=..")), 200);
        assert_eq!(status_of(route(root, "/src")), 301);
        assert_eq!(status_of(route(root, "/nope.js")), 404);
    }

    #[test]
    fn mime_types() {
        assert_eq!(mime_type(Path::new("a/emlab_bg.wasm")), "application/wasm");
        assert_eq!(
            mime_type(Path::new("emlab.js")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            mime_type(Path::new("INDEX.HTML")),
            "text/html; charset=utf-8"
        );
        assert_eq!(mime_type(Path::new("data.csv")), "text/csv; charset=utf-8");
        assert_eq!(mime_type(Path::new("blob")), "application/octet-stream");
    }

    /// Sends `request` to `addr` and returns the whole response as text.
    fn fetch(addr: SocketAddr, request: &str) -> String {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        stream.shutdown(Shutdown::Write).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    }

    #[test]
    fn serves_files_over_http() {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!("xtask-serve-{}-{nanos}", std::process::id()));
        fs::create_dir_all(dir.join("pkg")).unwrap();
        fs::write(dir.join("index.html"), "<title>EM Lab</title>").unwrap();
        fs::write(dir.join("pkg/a.wasm"), b"\0asm\x01\0\0\0").unwrap();
        let addr = start(&dir, 0, false).unwrap();

        let index = fetch(addr, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(index.starts_with("HTTP/1.1 200 OK\r\n"), "{index}");
        assert!(index.contains("Content-Type: text/html; charset=utf-8\r\n"));
        assert!(index.contains("Cache-Control: no-store\r\n"));
        assert!(index.ends_with("\r\n\r\n<title>EM Lab</title>"));

        let wasm = fetch(addr, "HEAD /pkg/a.wasm HTTP/1.1\r\n\r\n");
        assert!(wasm.starts_with("HTTP/1.1 200 OK\r\n"), "{wasm}");
        assert!(wasm.contains("Content-Type: application/wasm\r\n"));
        assert!(wasm.contains("Content-Length: 8\r\n"));
        assert!(wasm.ends_with("\r\n\r\n"), "HEAD has no body");

        let missing = fetch(addr, "GET /pkg/b.wasm HTTP/1.1\r\n\r\n");
        assert!(
            missing.starts_with("HTTP/1.1 404 Not Found\r\n"),
            "{missing}"
        );
        let post = fetch(addr, "POST / HTTP/1.1\r\n\r\n");
        assert!(
            post.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"),
            "{post}"
        );
        let redirect = fetch(addr, "GET /pkg HTTP/1.1\r\n\r\n");
        assert!(redirect.contains("Location: /pkg/\r\n"), "{redirect}");

        fs::remove_dir_all(dir).unwrap();
    }
}
