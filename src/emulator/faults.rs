//! Fault injection: a share of requests throttled or failed, and added latency, for tests and
//! demos of retries and spinners. With a seed, the same requests in the same order draw the same
//! faults, so a run can be repeated.

use std::sync::Mutex;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::error::ServiceError;

/// What to inject; the default injects nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Faults {
    /// Share of requests (0.0..=1.0) answered with `ThrottlingException`.
    pub throttle_rate: f64,
    /// Share of requests (0.0..=1.0) answered with `InternalServerException`.
    pub error_rate: f64,
    /// Added to every request before it is answered.
    pub latency: Duration,
    /// Seeds the draws (`--fault-seed`); `None` draws from the OS's randomness.
    pub seed: Option<u64>,
}

impl Faults {
    /// Checks the rates are shares, naming the flag that is wrong.
    pub fn check(&self) -> Result<(), String> {
        for (flag, rate) in [
            ("--fault-throttle-rate", self.throttle_rate),
            ("--fault-error-rate", self.error_rate),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("{flag} must be between 0 and 1, got {rate}"));
            }
        }
        Ok(())
    }

    /// The dice the draws use: seeded if a seed was given.
    pub fn dice(&self) -> Dice {
        Dice(Mutex::new(match self.seed {
            Some(seed) => StdRng::seed_from_u64(seed),
            None => StdRng::from_os_rng(),
        }))
    }

    /// The injected failure for one request, if this request draws one.
    pub fn draw(&self, dice: &Dice) -> Option<ServiceError> {
        let mut rng = dice
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Both draws happen every time, so each request uses the same share of the sequence.
        let throttled = rng.random_bool(self.throttle_rate);
        let failed = rng.random_bool(self.error_rate);
        if throttled {
            return Some(ServiceError::Throttling(
                "Rate exceeded (injected by --fault-throttle-rate)".into(),
            ));
        }
        if failed {
            return Some(ServiceError::InternalServer(
                "Internal error (injected by --fault-error-rate)".into(),
            ));
        }
        None
    }
}

/// The random source of the fault draws, shared by all requests.
#[derive(Debug)]
pub struct Dice(Mutex<StdRng>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_of_zero_and_one_are_never_and_always() {
        let none = Faults::default();
        let dice = none.dice();
        assert!((0..1000).all(|_| none.draw(&dice).is_none()));
        let throttle = Faults {
            throttle_rate: 1.0,
            ..Faults::default()
        };
        assert!(matches!(
            throttle.draw(&throttle.dice()),
            Some(ServiceError::Throttling(_))
        ));
        let error = Faults {
            error_rate: 1.0,
            ..Faults::default()
        };
        assert!(matches!(
            error.draw(&error.dice()),
            Some(ServiceError::InternalServer(_))
        ));
    }

    #[test]
    fn a_seed_repeats_the_same_faults() {
        let faults = Faults {
            throttle_rate: 0.3,
            error_rate: 0.1,
            seed: Some(42),
            ..Faults::default()
        };
        let run = || {
            let dice = faults.dice();
            (0..200)
                .map(|_| faults.draw(&dice).map(|e| e.code()))
                .collect::<Vec<_>>()
        };
        let first = run();
        assert_eq!(first, run());
        let throttled = first
            .iter()
            .filter(|f| *f == &Some("ThrottlingException"))
            .count();
        let failed = first
            .iter()
            .filter(|f| *f == &Some("InternalServerException"))
            .count();
        assert!((30..90).contains(&throttled), "{throttled} of 200 at 30%");
        assert!(
            (3..30).contains(&failed),
            "{failed} of 200 at 10% of the rest"
        );
    }

    #[test]
    fn rates_outside_zero_to_one_are_refused() {
        let bad = Faults {
            error_rate: 1.5,
            ..Faults::default()
        };
        assert!(bad.check().unwrap_err().contains("--fault-error-rate"));
        assert!(Faults::default().check().is_ok());
    }
}
