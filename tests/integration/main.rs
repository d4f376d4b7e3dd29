//! Integration tests: each starts the real server on a free port against a fresh database.

mod access_matrix;
mod account_security;
mod accounts;
mod assessments;
mod bad_files;
mod band_definition;
mod bands;
mod bands_http;
mod batches;
mod check;
mod checks_api;
mod cli;
mod embedded_db;
mod feedback;
mod health;
mod mandates;
mod members;
mod nomenclature;
mod pages;
mod reference_builtin;
mod security;
mod two_processes;
