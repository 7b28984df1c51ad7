//! The TCP stream of one connection, able to break the way a `connection` fault says
//! (`docs/protocol.md#faults`). hyper writes each answer through here: once the request's
//! [`ConnectionControl`] is broken, the next write fails (`empty`), resets the connection
//! (`reset`) or lets half of its bytes through and fails the one after (`truncated`); hyper
//! then drops the connection.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

use crate::fault::BrokenConnection;
use crate::http::connection::ConnectionControl;

pub struct BreakableStream {
    stream: TcpStream,
    control: ConnectionControl,
    /// A truncated answer has had its half.
    cut: bool,
}

impl BreakableStream {
    pub fn new(stream: TcpStream, control: ConnectionControl) -> Self {
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

impl AsyncRead for BreakableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for BreakableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.control.broken() {
            None => Pin::new(&mut self.stream).poll_write(cx, buf),
            Some(BrokenConnection::Reset) => {
                // SO_LINGER 0: closing sends RST instead of FIN.
                let _ = self.stream.set_zero_linger();
                Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::ConnectionReset,
                    "connection reset by a fault",
                )))
            }
            Some(BrokenConnection::Empty) => Poll::Ready(Err(broken_pipe())),
            Some(BrokenConnection::Truncated) if self.cut => Poll::Ready(Err(broken_pipe())),
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
