//! Integration tests: each starts the real server on a free port against a fresh database.

mod access_matrix;
mod account_security;
mod accounts;
mod assessments;
mod band_runs;
mod bands;
mod batches;
mod check;
mod checks_api;
mod cli;
mod documents;
mod embedded_db;
mod feedback;
mod health;
mod library;
mod mandates;
mod members;
mod pages;
mod records;
mod reference;
mod reference_builtin;
mod security;
mod two_processes;
mod uploads;
