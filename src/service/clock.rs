//! `/_emulator/clock` (`docs/protocol.md#control-plane`): read, move, freeze and reset the
//! emulator's clock. Issuing, refresh-token expiry and the Entry API check all read it. The
//! setting is stored, so a restart keeps it and every process on the database follows it.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Context;
use crate::clock::{ClockSetting, SETTABLE, wall_seconds};
use crate::error::ControlError;
use crate::store::ClockRow;

/// At most one of: move forward (or back) by a duration, set the offset, or jump to a time;
/// and/or `frozen` to stop or restart time.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockChange {
    /// e.g. `"13h"`, `"-5m"`, or a number of seconds.
    pub advance: Option<SignedDuration>,
    /// The offset from wall time, e.g. `"-1h"`.
    pub offset: Option<SignedDuration>,
    /// Unix seconds the clock should read now, in 1970 to 9999.
    #[schema(minimum = 0, maximum = 253_402_300_799_i64)]
    pub at: Option<i64>,
    /// `true`: time stands still (until unfrozen; `advance` and `at` still move it).
    pub frozen: Option<bool>,
}

/// A duration in humantime text with an optional sign, or plain seconds.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum SignedDuration {
    Seconds(i64),
    Text(String),
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq, ToSchema)]
pub struct ClockState {
    /// Unix seconds as the emulator sees them.
    pub now: i64,
    /// Seconds between the emulator's time and wall time.
    pub offset: i64,
    /// Whether time stands still.
    pub frozen: bool,
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
        let setting = self.ctx.clock().setting();
        let now = setting.now();
        ClockState {
            now,
            offset: now - wall_seconds(),
            frozen: setting.frozen_at.is_some(),
        }
    }

    /// Unix seconds as the emulator sees them.
    pub fn now(&self) -> i64 {
        self.ctx.now()
    }

    /// Moves the clock by `seconds` (negative: back).
    pub async fn advance(&self, seconds: i64) -> Result<ClockState, ControlError> {
        let current = self.ctx.clock().setting();
        let at = settable("advance", current.now().checked_add(seconds))?;
        self.store(current.at(at)).await
    }

    /// Sets the offset from wall time, in seconds; time runs.
    pub async fn set_offset(&self, seconds: i64) -> Result<ClockState, ControlError> {
        settable("offset", wall_seconds().checked_add(seconds))?;
        let setting = ClockSetting {
            offset_seconds: seconds,
            frozen_at: None,
        };
        self.store(setting).await
    }

    pub async fn change(&self, change: &ClockChange) -> Result<ClockState, ControlError> {
        let current = self.ctx.clock().setting();
        let moved = match (&change.advance, &change.offset, change.at) {
            (Some(advance), None, None) => {
                let seconds = advance.seconds("advance")?;
                current.at(settable("advance", current.now().checked_add(seconds))?)
            }
            (None, Some(offset), None) => {
                let seconds = offset.seconds("offset")?;
                current.at(settable("offset", wall_seconds().checked_add(seconds))?)
            }
            (None, None, Some(at)) => current.at(settable("at", Some(at))?),
            (None, None, None) if change.frozen.is_some() => current,
            _ => {
                return Err(ControlError::invalid(
                    "advance",
                    "give exactly one of advance, offset or at (frozen may come with it)",
                ));
            }
        };
        let setting = match change.frozen {
            Some(frozen) => moved.frozen(frozen),
            None => moved,
        };
        self.store(setting).await
    }

    /// Back to wall time, running.
    pub async fn reset(&self) -> Result<ClockState, ControlError> {
        self.store(ClockSetting::default()).await
    }

    async fn store(&self, setting: ClockSetting) -> Result<ClockState, ControlError> {
        let row = ClockRow {
            offset_seconds: setting.offset_seconds,
            frozen_at: setting.frozen_at,
        };
        self.ctx.store.set_clock(row).await?;
        self.ctx.reload().await?;
        let state = self.state();
        tracing::info!(
            offset = state.offset,
            frozen = state.frozen,
            "emulator clock moved"
        );
        Ok(state)
    }
}

/// `now`, when the clock may be set to read it (`crate::clock::SETTABLE`); `None` overflowed.
fn settable(field: &'static str, now: Option<i64>) -> Result<i64, ControlError> {
    now.filter(|now| SETTABLE.contains(now)).ok_or_else(|| {
        ControlError::invalid(
            field,
            "the clock must read between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z",
        )
    })
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
