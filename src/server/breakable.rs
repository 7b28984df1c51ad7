//! The stream of one connection, able to break the way a `connection` fault says
//! (`docs/protocol.md#faults`). hyper writes each answer through here: once the request's
//! [`ConnectionControl`] is broken, the next write fails (`empty`), resets the connection
//! (`reset`) or lets half of its bytes through and fails the one after (`truncated`); hyper
//! then drops the connection. Over TLS it wraps the TLS stream, so what is cut short is the
//! HTTP answer, sent in whole TLS records, as a client would see it from a real server.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::server::TlsStream;

use crate::fault::BrokenConnection;
use crate::http::connection::ConnectionControl;

/// A connection's stream and the TCP socket under it (where a reset is arranged).
pub trait OverTcp: AsyncRead + AsyncWrite + Unpin {
    fn tcp(&self) -> &TcpStream;
}

impl OverTcp for TcpStream {
    fn tcp(&self) -> &TcpStream {
        self
    }
}

impl OverTcp for TlsStream<TcpStream> {
    fn tcp(&self) -> &TcpStream {
        self.get_ref().0
    }
}

pub struct BreakableStream<S> {
    stream: S,
    control: ConnectionControl,
    /// A truncated answer has had its half.
    cut: bool,
}

impl<S: OverTcp> BreakableStream<S> {
    pub fn new(stream: S, control: ConnectionControl) -> Self {
        Self {
            stream,
            control,
            cut: false,
        }
    }
}

fn broken_pipe() -> io::Error {
    io::Error::new(io::ErrorKind::BrokenPipe, "connection broken by a fault")
}

impl<S: OverTcp> AsyncRead for BreakableStream<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl<S: OverTcp> AsyncWrite for BreakableStream<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.control.broken() {
            None => Pin::new(&mut self.stream).poll_write(cx, buf),
            Some(BrokenConnection::Reset) => {
                // SO_LINGER 0: closing sends RST instead of FIN.
                let _ = self.stream.tcp().set_zero_linger();
                Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::ConnectionReset,
                    "connection reset by a fault",
                )))
            }
            Some(BrokenConnection::Empty) => Poll::Ready(Err(broken_pipe())),
            Some(BrokenConnection::Truncated) if self.cut => {
                // The half may still sit in the TLS layer's buffer: out with it first.
                ready!(Pin::new(&mut self.stream).poll_flush(cx))?;
                Poll::Ready(Err(broken_pipe()))
            }
            Some(BrokenConnection::Truncated) => {
                // Not vectored (below), so hyper hands over head and body in one buffer.
                let half = buf.len().div_ceil(2);
                let written = ready!(Pin::new(&mut self.stream).poll_write(cx, &buf[..half]))?;
                self.cut = true;
                Poll::Ready(Ok(written))
            }
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.control.broken() == Some(BrokenConnection::Reset) {
            // A shutdown would send FIN first; the reset is the whole answer.
            return Poll::Ready(Err(broken_pipe()));
        }
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
