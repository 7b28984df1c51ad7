//! `/_emulator/clock` (`docs/protocol.md#control-plane`): read, move and reset the emulator's
//! clock. Issuing, refresh
//! token expiry and the Entry API check all read it.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::Context;
use crate::error::ControlError;

/// Exactly one of: move forward (or back) by a duration, set the offset, or jump to a time.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockChange {
    /// e.g. `"13h"`, `"-5m"`, or a number of seconds.
    pub advance: Option<SignedDuration>,
    /// The offset from wall time, e.g. `"-1h"`.
    pub offset: Option<SignedDuration>,
    /// Unix seconds the clock should read now.
    pub at: Option<i64>,
}

/// A duration in humantime text with an optional sign, or plain seconds.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum SignedDuration {
    Seconds(i64),
    Text(String),
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ClockState {
    /// Unix seconds as the emulator sees them.
    pub now: i64,
    /// Seconds added to wall time.
    pub offset: i64,
}

/// The emulator clock that issuing, refresh-token expiry and the Entry API check read.
pub struct ClockService {
    ctx: Arc<Context>,
}

impl ClockService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    pub fn state(&self) -> ClockState {
        let clock = &self.ctx.clock;
        ClockState {
            now: clock.now(),
            offset: clock.offset(),
        }
    }

    /// Unix seconds as the emulator sees them.
    pub fn now(&self) -> i64 {
        self.ctx.clock.now()
    }

    /// Moves the clock by `seconds` (negative: back).
    pub fn advance(&self, seconds: i64) {
        self.ctx.clock.advance(seconds);
    }

    /// Sets the offset from wall time, in seconds.
    pub fn set_offset(&self, seconds: i64) {
        self.ctx.clock.set_offset(seconds);
    }

    pub fn change(&self, change: &ClockChange) -> Result<ClockState, ControlError> {
        let clock = &self.ctx.clock;
        match (&change.advance, &change.offset, change.at) {
            (Some(advance), None, None) => clock.advance(advance.seconds("advance")?),
            (None, Some(offset), None) => clock.set_offset(offset.seconds("offset")?),
            (None, None, Some(at)) => clock.set_now(at),
            _ => {
                return Err(ControlError::invalid(
                    "advance",
                    "give exactly one of advance, offset or at",
                ));
            }
        }
        tracing::info!(offset = clock.offset(), "emulator clock moved");
        Ok(self.state())
    }

    /// Back to wall time.
    pub fn reset(&self) -> ClockState {
        self.ctx.clock.set_offset(0);
        self.state()
    }
}

impl SignedDuration {
    pub fn seconds(&self, field: &'static str) -> Result<i64, ControlError> {
        let text = match self {
            Self::Seconds(seconds) => return Ok(*seconds),
            Self::Text(text) => text.trim(),
        };
        let (sign, magnitude) = match text.strip_prefix('-') {
            Some(rest) => (-1, rest),
            None => (1, text.strip_prefix('+').unwrap_or(text)),
        };
        let duration = humantime::parse_duration(magnitude.trim()).map_err(|e| {
            ControlError::invalid(
                field,
                format!("{text:?} is not a duration like \"13h\" ({e})"),
            )
        })?;
        i64::try_from(duration.as_secs())
            .map(|s| sign * s)
            .map_err(|_| ControlError::invalid(field, "duration too large"))
    }
}
