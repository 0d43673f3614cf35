//! PLACEHOLDER: the service model's shapes, loaded from `assets/` (to be replaced).
