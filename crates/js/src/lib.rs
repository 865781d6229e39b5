//! JavaScript API of the Trustwalk core (filled in by a later issue).
