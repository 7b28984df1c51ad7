//! `/_emulator/clock` (issue 3): read, move and reset the emulator's clock. Issuing, refresh
//! token expiry and the Entry API check all read it.

use serde::{Deserialize, Serialize};

use crate::emulator::Emulator;
use crate::error::{Error, Result};

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

impl Emulator {
    pub fn clock_state(&self) -> ClockState {
        ClockState {
            now: self.clock.now(),
            offset: self.clock.offset(),
        }
    }

    pub fn change_clock(&self, change: &ClockChange) -> Result<ClockState> {
        match (&change.advance, &change.offset, change.at) {
            (Some(advance), None, None) => self.clock.advance(advance.seconds("advance")?),
            (None, Some(offset), None) => self.clock.set_offset(offset.seconds("offset")?),
            (None, None, Some(at)) => self.clock.set_now(at),
            _ => {
                return Err(Error::invalid(
                    "advance",
                    "give exactly one of advance, offset or at",
                ));
            }
        }
        tracing::info!(offset = self.clock.offset(), "emulator clock moved");
        Ok(self.clock_state())
    }

    pub fn reset_clock(&self) -> ClockState {
        self.clock.set_offset(0);
        self.clock_state()
    }
}

impl SignedDuration {
    pub fn seconds(&self, field: &'static str) -> Result<i64> {
        let text = match self {
            Self::Seconds(seconds) => return Ok(*seconds),
            Self::Text(text) => text.trim(),
        };
        let (sign, magnitude) = match text.strip_prefix('-') {
            Some(rest) => (-1, rest),
            None => (1, text.strip_prefix('+').unwrap_or(text)),
        };
        let duration = humantime::parse_duration(magnitude.trim()).map_err(|e| {
            Error::invalid(
                field,
                format!("{text:?} is not a duration like \"13h\" ({e})"),
            )
        })?;
        i64::try_from(duration.as_secs())
            .map(|s| sign * s)
            .map_err(|_| Error::invalid(field, "duration too large"))
    }
}
