//! Clock and timer syscalls.
//!
//! Time is virtual (see [`crate::clock`]). Waits (`OS_InnerWait_ms`,
//! `CMT_Delay_*`) let virtual time pass without executing instructions.
//!
//! User timers: 10 slots, IDs 1–10. `Timer_Install(0, …)` takes the first
//! free slot. The machine calls a running timer's handler (as a nested
//! call on the CPU) whenever virtual time passes its next due time, whether
//! the add-in is computing, waiting in `GetKey` or in a delay. Errors:
//! −1 no such timer / no free slot, −2 bad arguments.

use super::{Action, Ctx, SysErr};
use crate::clock::NS_PER_SEC;

/// Number of timer slots.
pub const TIMER_SLOTS: usize = 10;

/// One installed timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timer {
    /// Handler address.
    pub handler: u32,
    /// Period.
    pub period_ns: u64,
    /// Started.
    pub running: bool,
    /// Next call.
    pub next_due_ns: u64,
}

/// The timer slots.
#[derive(Debug, Clone, Default)]
pub struct Timers {
    slots: [Option<Timer>; TIMER_SLOTS],
}

impl Timers {
    /// Earliest due time of a running timer.
    pub fn next_due(&self) -> Option<u64> {
        self.slots
            .iter()
            .flatten()
            .filter(|t| t.running)
            .map(|t| t.next_due_ns)
            .min()
    }

    /// Whether a timer is running.
    pub fn any_running(&self) -> bool {
        self.slots.iter().flatten().any(|t| t.running)
    }

    /// A timer due at `now_ns`, rescheduled: `(id, handler)`.
    pub fn take_due(&mut self, now_ns: u64) -> Option<(usize, u32)> {
        let (index, timer) = self
            .slots
            .iter_mut()
            .enumerate()
            .filter_map(|(i, t)| t.as_mut().map(|t| (i, t)))
            .filter(|(_, t)| t.running && t.next_due_ns <= now_ns)
            .min_by_key(|(_, t)| t.next_due_ns)?;
        timer.next_due_ns += timer.period_ns;
        if timer.next_due_ns <= now_ns {
            // Fell far behind (a long computation): do not call it in a burst.
            timer.next_due_ns = now_ns + timer.period_ns;
        }
        Some((index + 1, timer.handler))
    }

    /// A timer by ID.
    pub fn get(&self, id: usize) -> Option<&Timer> {
        self.slots.get(id.checked_sub(1)?)?.as_ref()
    }

    fn slot(&mut self, id: u32) -> Option<&mut Option<Timer>> {
        self.slots.get_mut((id as usize).checked_sub(1)?)
    }
}

/// `int RTC_GetTicks(void)`: 1/128 s since midnight.
pub fn rtc_get_ticks(ctx: &mut Ctx) -> Result<Action, SysErr> {
    Ok(Action::Return(ctx.os.clock.ticks(ctx.now_ns)))
}

/// `int RTC_Elapsed_ms(int start, int duration_ms)`: 1 once `duration_ms`
/// passed since the tick count `start` (like the OS, wrong across midnight).
pub fn rtc_elapsed_ms(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (start, duration) = (ctx.arg_i32(0)?, ctx.arg_i32(1)?);
    let now = ctx.os.clock.ticks(ctx.now_ns) as i32;
    let elapsed_ms = i64::from(now.wrapping_sub(start)) * 1000 / 128;
    Ok(Action::Return(u32::from(elapsed_ms >= i64::from(duration))))
}

/// `void RTC_GetTime(unsigned* hour, unsigned* minute, unsigned* second, unsigned* ms)`.
pub fn rtc_get_time(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let ptrs = [ctx.arg(0)?, ctx.arg(1)?, ctx.arg(2)?, ctx.arg(3)?];
    let now = ctx.os.clock.now(ctx.now_ns);
    let ticks = ctx.os.clock.ticks(ctx.now_ns);
    let values = [
        u32::from(now.hour),
        u32::from(now.minute),
        u32::from(now.second),
        (ticks % 128) * 1000 / 128,
    ];
    for (ptr, value) in ptrs.into_iter().zip(values) {
        ctx.write_u32(ptr, value)?;
    }
    Ok(Action::Return(0))
}

/// `int RTC_Reset(int)`: nothing to do.
pub fn rtc_reset(_: &mut Ctx) -> Result<Action, SysErr> {
    Ok(Action::Return(0))
}

/// `void RTC_SetDateTime(unsigned char* record)`: 7 BCD bytes: century,
/// year, month, day, hour, minute, second. Invalid records are ignored
/// (with a warning).
pub fn rtc_set_date_time(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let record = ctx.arg(0)?;
    let bytes = ctx.mem.read_bytes(record, 7)?;
    if !ctx.os.clock.set_from_bcd(&bytes, ctx.now_ns) {
        ctx.os.warn(format!(
            "RTC_SetDateTime ignored an invalid BCD record {bytes:02X?}"
        ));
    }
    Ok(Action::Return(0))
}

/// `void OS_InnerWait_ms(int ms)`.
pub fn os_inner_wait_ms(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let ms = ctx.arg_i32(0)?.max(0) as u64;
    Ok(Action::Wait {
        ns: ms * 1_000_000,
        result: 0,
    })
}

/// `void CMT_Delay_micros(int n)`.
pub fn cmt_delay_micros(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let us = ctx.arg_i32(0)?.max(0) as u64;
    Ok(Action::Wait {
        ns: us * 1_000,
        result: 0,
    })
}

/// `void CMT_Delay_100micros(int n)`.
pub fn cmt_delay_100micros(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let n = ctx.arg_i32(0)?.max(0) as u64;
    Ok(Action::Wait {
        ns: n * 100_000,
        result: 0,
    })
}

/// `int Timer_Install(int id, void (*handler)(void), int elapse_ms)`.
pub fn timer_install(ctx: &mut Ctx) -> Result<Action, SysErr> {
    let (id, handler, elapse) = (ctx.arg(0)?, ctx.arg(1)?, ctx.arg_i32(2)?);
    if handler == 0 || elapse <= 0 || id as usize > TIMER_SLOTS {
        return Ok(Action::Return(-2i32 as u32));
    }
    let timers = &mut ctx.os.timers;
    let id = if id == 0 {
        match timers.slots.iter().position(Option::is_none) {
            Some(i) => i as u32 + 1,
            None => return Ok(Action::Return(-1i32 as u32)),
        }
    } else {
        id
    };
    let Some(slot) = timers.slot(id) else {
        return Ok(Action::Return(-2i32 as u32));
    };
    if slot.is_some() {
        return Ok(Action::Return(-1i32 as u32));
    }
    *slot = Some(Timer {
        handler,
        period_ns: elapse as u64 * (NS_PER_SEC / 1000),
        running: false,
        next_due_ns: 0,
    });
    Ok(Action::Return(id))
}

fn with_timer(ctx: &mut Ctx, f: impl FnOnce(&mut Option<Timer>, u64)) -> Result<Action, SysErr> {
    let id = ctx.arg(0)?;
    let now = ctx.now_ns;
    match ctx.os.timers.slot(id) {
        Some(slot) if slot.is_some() => {
            f(slot, now);
            Ok(Action::Return(0))
        }
        _ => Ok(Action::Return(-1i32 as u32)),
    }
}

/// `int Timer_Start(int id)`.
pub fn timer_start(ctx: &mut Ctx) -> Result<Action, SysErr> {
    with_timer(ctx, |slot, now| {
        if let Some(t) = slot {
            if !t.running {
                t.running = true;
                t.next_due_ns = now + t.period_ns;
            }
        }
    })
}

/// `int Timer_Stop(int id)`.
pub fn timer_stop(ctx: &mut Ctx) -> Result<Action, SysErr> {
    with_timer(ctx, |slot, _| {
        if let Some(t) = slot {
            t.running = false;
        }
    })
}

/// `int Timer_Deinstall(int id)`.
pub fn timer_deinstall(ctx: &mut Ctx) -> Result<Action, SysErr> {
    with_timer(ctx, |slot, _| *slot = None)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::Guest;
    use super::*;
    use prizm_platform::syscall as sc;

    #[test]
    fn ticks_and_time() {
        let mut g = Guest::new();
        // Default start 12:00:00.
        assert_eq!(g.ret(sc::RTC_GetTicks, &[]), 12 * 3600 * 128);
        g.now_ns = NS_PER_SEC + NS_PER_SEC / 2;
        let p = g.zeroed(16);
        g.ret(sc::RTC_GetTime, &[p, p + 4, p + 8, p + 12]);
        assert_eq!(
            [
                g.read_u32(p),
                g.read_u32(p + 4),
                g.read_u32(p + 8),
                g.read_u32(p + 12)
            ],
            [12, 0, 1, 500]
        );
        let start = g.ret(sc::RTC_GetTicks, &[]) as u32;
        assert_eq!(g.ret(sc::RTC_Elapsed_ms, &[start, 0]), 1);
        assert_eq!(g.ret(sc::RTC_Elapsed_ms, &[start, 100]), 0);
        g.now_ns += NS_PER_SEC / 5;
        assert_eq!(g.ret(sc::RTC_Elapsed_ms, &[start, 100]), 1);
        let record = g.put(&[0x20, 0x27, 0x01, 0x02, 0x23, 0x59, 0x58]);
        g.ret(sc::RTC_SetDateTime, &[record]);
        assert_eq!(g.os.clock.now(g.now_ns).to_string(), "2027-01-02 23:59:58");
    }

    #[test]
    fn waits() {
        let mut g = Guest::new();
        assert_eq!(
            g.call(sc::OS_InnerWait_ms, &[250]),
            Ok(Action::Wait {
                ns: 250_000_000,
                result: 0
            })
        );
        assert_eq!(
            g.call(sc::OS_InnerWait_ms, &[-5i32 as u32]),
            Ok(Action::Wait { ns: 0, result: 0 })
        );
        assert_eq!(
            g.call(sc::CMT_Delay_micros, &[7]),
            Ok(Action::Wait {
                ns: 7_000,
                result: 0
            })
        );
        assert_eq!(
            g.call(sc::CMT_Delay_100micros, &[7]),
            Ok(Action::Wait {
                ns: 700_000,
                result: 0
            })
        );
    }

    #[test]
    fn timers() {
        let mut g = Guest::new();
        let id = g.ret(sc::Timer_Install, &[0, 0x0030_0000, 100]);
        assert_eq!(id, 1);
        assert_eq!(
            g.ret(sc::Timer_Install, &[1, 0x0030_0000, 100]),
            -1,
            "slot taken"
        );
        assert_eq!(g.ret(sc::Timer_Install, &[0, 0, 100]), -2);
        assert_eq!(g.os.timers.next_due(), None);
        g.now_ns = 1000;
        assert_eq!(g.ret(sc::Timer_Start, &[1]), 0);
        assert_eq!(g.os.timers.next_due(), Some(100_001_000));
        assert_eq!(g.os.timers.take_due(100_000_999), None);
        assert_eq!(g.os.timers.take_due(100_001_000), Some((1, 0x0030_0000)));
        assert_eq!(g.os.timers.next_due(), Some(200_001_000));
        // Far behind: no burst.
        assert!(g.os.timers.take_due(10 * NS_PER_SEC).is_some());
        assert!(g.os.timers.take_due(10 * NS_PER_SEC).is_none());
        assert_eq!(g.ret(sc::Timer_Stop, &[1]), 0);
        assert!(!g.os.timers.any_running());
        assert_eq!(g.ret(sc::Timer_Deinstall, &[1]), 0);
        assert_eq!(g.ret(sc::Timer_Start, &[1]), -1);
        for i in 1..=10 {
            assert_eq!(g.ret(sc::Timer_Install, &[0, 0x0030_0000, 10]), i);
        }
        assert_eq!(g.ret(sc::Timer_Install, &[0, 0x0030_0000, 10]), -1);
        assert_eq!(g.ret(sc::Timer_Start, &[99]), -1);
    }
}
