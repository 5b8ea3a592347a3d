pub mod wide_gamut;
