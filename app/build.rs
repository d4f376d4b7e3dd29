//! Generates the message catalogue (`$OUT_DIR/messages.rs`, included by `src/i18n.rs`) from
//! `locales/<lang>/<namespace>.json` and refuses to build when the catalogues disagree.
//!
//! A catalogue file is a JSON object from message key (PascalCase, the `Msg` variant name) to
//! either a text or, for a message that depends on a number, an object of plural forms
//! `{"one": "...", "other": "..."}` whose texts use `{count}`. A text may name placeholders as
//! `{snake_case}`; `{{` and `}}` are literal braces.
//!
//! The build fails when a namespace exists in one language only, a key is missing in a language,
//! a key appears in two namespaces (or twice in one file), the placeholders of a key differ
//! between languages or between plural forms, a plural object lacks `one`, `other` or `{count}`,
//! or a placeholder is malformed.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The catalogue languages: directory name and `Lang` variant. Adding one here needs the variant
/// in `src/i18n.rs` and a plural rule in [`plural_rule`].
const LANGS: [(&str, &str); 2] = [("es", "Es"), ("en", "En")];

/// When a language uses its `one` form; every other count takes `other`.
fn plural_rule(lang: &str) -> &'static str {
    match lang {
        // Spanish and English: singular for exactly one, plural for 0, 2, 3, ... and negatives.
        "es" | "en" => "count == 1",
        other => panic!("no plural rule for language {other}"),
    }
}

const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self",
    "static", "struct", "super", "trait", "true", "try", "type", "typeof", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=locales");
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("locales");
    match load(&root) {
        Ok(catalogue) => {
            let code = generate(&catalogue);
            let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("messages.rs");
            std::fs::write(&out, code).unwrap_or_else(|e| panic!("writing {}: {e}", out.display()));
        }
        Err(problems) => {
            eprintln!(
                "error: the message catalogues in {} are inconsistent:",
                root.display()
            );
            for p in &problems {
                eprintln!("  - {p}");
            }
            println!(
                "cargo::error=message catalogues: {} problem(s); see the build script's stderr",
                problems.len()
            );
            for p in problems.iter().take(20) {
                println!("cargo::error={p}");
            }
            std::process::exit(1);
        }
    }
}

/// One text with its parsed placeholders.
#[derive(Clone, Debug)]
struct Text {
    raw: String,
    placeholders: BTreeSet<String>,
}

#[derive(Clone, Debug)]
enum Value {
    Plain(Text),
    Plural { one: Text, other: Text },
}

impl Value {
    fn placeholders(&self) -> BTreeSet<String> {
        match self {
            Value::Plain(t) => t.placeholders.clone(),
            Value::Plural { one, other } => one
                .placeholders
                .union(&other.placeholders)
                .cloned()
                .collect(),
        }
    }
}

struct Message {
    key: String,
    namespace: String,
    /// In the order of [`LANGS`].
    values: Vec<Value>,
}

type Problems = Vec<String>;

/// A language's catalogues: namespace -> entries in file order (`None` for a text already
/// reported as broken).
type Namespaces = BTreeMap<String, Vec<(String, Option<Value>)>>;

/// Reads and checks every catalogue; messages come out in namespace order, then file order.
fn load(root: &Path) -> Result<Vec<Message>, Problems> {
    let mut problems = Vec::new();
    let mut files: Vec<Namespaces> = Vec::new();
    let lang_dirs = list(root, &mut problems);
    for dir in &lang_dirs {
        if !LANGS.iter().any(|(code, _)| code == dir) {
            problems.push(format!("locales/{dir}: unknown language (known: es, en); add it to LANGS in build.rs and to Lang"));
        }
    }
    for (code, _) in LANGS {
        let mut namespaces = BTreeMap::new();
        let dir = root.join(code);
        if !dir.is_dir() {
            problems.push(format!("locales/{code}: the language directory is missing"));
            files.push(namespaces);
            continue;
        }
        for name in list(&dir, &mut problems) {
            let shown = format!("locales/{code}/{name}");
            let Some(namespace) = name.strip_suffix(".json") else {
                problems.push(format!("{shown}: not a .json catalogue file"));
                continue;
            };
            if !is_snake(namespace) {
                problems.push(format!("{shown}: a namespace name is snake_case"));
                continue;
            }
            let text = match std::fs::read_to_string(dir.join(&name)) {
                Ok(text) => text,
                Err(e) => {
                    problems.push(format!("{shown}: {e}"));
                    continue;
                }
            };
            let entries: Entries = match serde_json::from_str(&text) {
                Ok(entries) => entries,
                Err(e) => {
                    problems.push(format!("{shown}: not a JSON object of messages: {e}"));
                    continue;
                }
            };
            let mut seen = BTreeSet::new();
            let mut parsed = Vec::new();
            for (key, value) in entries.0 {
                let at = format!("{shown}: {key}");
                if !seen.insert(key.clone()) {
                    problems.push(format!("{at}: the key appears twice in the file"));
                    continue;
                }
                if !is_pascal(&key) {
                    problems.push(format!(
                        "{at}: a key is a PascalCase name (it becomes a Msg variant)"
                    ));
                    continue;
                }
                let value = parse_value(&at, value, &mut problems);
                parsed.push((key, value));
            }
            namespaces.insert(namespace.to_string(), parsed);
        }
        files.push(namespaces);
    }

    // Namespaces present in every language.
    let all_namespaces: BTreeSet<&String> = files.iter().flat_map(|f| f.keys()).collect();
    for ns in &all_namespaces {
        for ((code, _), f) in LANGS.iter().zip(&files) {
            if !f.contains_key(*ns) {
                let present: Vec<_> = LANGS
                    .iter()
                    .zip(&files)
                    .filter(|(_, f)| f.contains_key(*ns))
                    .map(|((c, _), _)| *c)
                    .collect();
                problems.push(format!(
                    "namespace {ns}: locales/{code}/{ns}.json is missing (it exists in {})",
                    present.join(", ")
                ));
            }
        }
    }

    // Each key in one namespace only, in every language.
    for ((code, _), f) in LANGS.iter().zip(&files) {
        let mut home: BTreeMap<&str, &str> = BTreeMap::new();
        for (ns, entries) in f {
            for (key, _) in entries {
                if let Some(first) = home.insert(key, ns) {
                    problems.push(format!(
                        "{key}: appears in two namespaces, locales/{code}/{first}.json and locales/{code}/{ns}.json"
                    ));
                }
            }
        }
    }

    // The first language with a namespace fixes the key order; every language has every key.
    let mut messages = Vec::new();
    for ns in &all_namespaces {
        let mut keys: Vec<&String> = Vec::new();
        for f in &files {
            for (key, _) in f.get(*ns).into_iter().flatten() {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        for key in keys {
            let mut values = Vec::new();
            for ((code, _), f) in LANGS.iter().zip(&files) {
                let found = f
                    .get(*ns)
                    .and_then(|entries| entries.iter().find(|(k, _)| k == key));
                match found {
                    Some((_, Some(value))) => values.push(value.clone()),
                    Some((_, None)) => {}
                    None if f.contains_key(*ns) => {
                        problems.push(format!("{key}: missing in locales/{code}/{ns}.json"))
                    }
                    None => {}
                }
            }
            if values.len() != LANGS.len() {
                continue;
            }
            let first = values[0].placeholders();
            for ((code, _), value) in LANGS.iter().zip(&values).skip(1) {
                let these = value.placeholders();
                if these != first {
                    problems.push(format!(
                        "{ns}/{key}: the placeholders differ between languages ({}: {}; {code}: {})",
                        LANGS[0].0,
                        show_set(&first),
                        show_set(&these)
                    ));
                }
                if matches!(value, Value::Plural { .. })
                    != matches!(values[0], Value::Plural { .. })
                {
                    problems.push(format!(
                        "{ns}/{key}: plural forms in one language and a single text in another"
                    ));
                }
            }
            messages.push(Message {
                key: key.clone(),
                namespace: ns.to_string(),
                values,
            });
        }
    }

    // Two keys must not become the same function name.
    let mut names = BTreeMap::new();
    for m in &messages {
        if m.values[0].placeholders().is_empty() && !matches!(m.values[0], Value::Plural { .. }) {
            continue;
        }
        if let Some(other) = names.insert(snake(&m.key), &m.key) {
            problems.push(format!(
                "{} and {other}: both become the function fmt::{}",
                m.key,
                snake(&m.key)
            ));
        }
    }

    if problems.is_empty() {
        Ok(messages)
    } else {
        Err(problems)
    }
}

fn list(dir: &Path, problems: &mut Problems) -> Vec<String> {
    let mut names = Vec::new();
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !name.starts_with('.') {
                    names.push(name);
                }
            }
        }
        Err(e) => problems.push(format!("{}: {e}", dir.display())),
    }
    names.sort();
    names
}

fn parse_value(at: &str, value: serde_json::Value, problems: &mut Problems) -> Option<Value> {
    match value {
        serde_json::Value::String(s) => parse_text(at, &s, problems).map(Value::Plain),
        serde_json::Value::Object(forms) => {
            for form in forms.keys() {
                if form != "one" && form != "other" {
                    problems.push(format!(
                        "{at}: unknown plural form {form:?} (es and en use \"one\" and \"other\")"
                    ));
                }
            }
            let mut form = |name: &str| match forms.get(name) {
                Some(serde_json::Value::String(s)) => {
                    let text = parse_text(&format!("{at}.{name}"), s, problems)?;
                    if !text.placeholders.contains("count") {
                        problems.push(format!("{at}.{name}: a plural form uses {{count}}"));
                        return None;
                    }
                    Some(text)
                }
                Some(_) => {
                    problems.push(format!("{at}.{name}: a plural form is a string"));
                    None
                }
                None => {
                    problems.push(format!("{at}: the plural object lacks the {name:?} form"));
                    None
                }
            };
            let (one, other) = (form("one"), form("other"));
            let (one, other) = (one?, other?);
            if one.placeholders != other.placeholders {
                problems.push(format!(
                    "{at}: the plural forms use different placeholders (one: {}; other: {})",
                    show_set(&one.placeholders),
                    show_set(&other.placeholders)
                ));
            }
            Some(Value::Plural { one, other })
        }
        _ => {
            problems.push(format!(
                "{at}: a message is a string or an object of plural forms"
            ));
            None
        }
    }
}

/// Parses `{name}` placeholders; `{{` and `}}` are literal braces.
fn parse_text(at: &str, s: &str, problems: &mut Problems) -> Option<Text> {
    let mut placeholders = BTreeSet::new();
    let mut chars = s.char_indices().peekable();
    let mut ok = true;
    while let Some((i, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|(_, c)| *c) == Some('{') => {
                chars.next();
            }
            '}' if chars.peek().map(|(_, c)| *c) == Some('}') => {
                chars.next();
            }
            '{' => {
                let rest = &s[i + 1..];
                let Some(end) = rest.find('}') else {
                    problems.push(format!(
                        "{at}: an unclosed {{ at byte {i} (write {{{{ for a literal brace)"
                    ));
                    ok = false;
                    break;
                };
                let name = &rest[..end];
                if !is_snake(name) {
                    problems.push(format!(
                        "{at}: malformed placeholder {{{name}}}: a placeholder is a snake_case name such as {{count}} (write {{{{ and }}}} for literal braces)"
                    ));
                    ok = false;
                } else if name == "lang" || RUST_KEYWORDS.contains(&name) {
                    problems.push(format!(
                        "{at}: {{{name}}} cannot be a placeholder name (it is reserved)"
                    ));
                    ok = false;
                } else {
                    placeholders.insert(name.to_string());
                }
                for _ in 0..name.chars().count() + 1 {
                    chars.next();
                }
            }
            '}' => {
                problems.push(format!(
                    "{at}: a lone }} at byte {i} (write }}}} for a literal brace)"
                ));
                ok = false;
            }
            _ => {}
        }
    }
    ok.then(|| Text {
        raw: s.to_string(),
        placeholders,
    })
}

fn is_snake(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_pascal(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

/// `AssessmentTitleRef` -> `assessment_title_ref`.
fn snake(key: &str) -> String {
    let mut out = String::new();
    for (i, c) in key.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn show_set(set: &BTreeSet<String>) -> String {
    if set.is_empty() {
        "none".into()
    } else {
        set.iter()
            .map(|p| format!("{{{p}}}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn generate(messages: &[Message]) -> String {
    let (plain, formatted): (Vec<&Message>, Vec<&Message>) = messages
        .iter()
        .partition(|m| matches!(m.values[0], Value::Plain(ref t) if t.placeholders.is_empty()));
    let mut out = String::new();
    out.push_str("// Generated by app/build.rs from app/locales/*/*.json. Do not edit.\n\n");

    out.push_str(
        "/// A message without placeholders, named by its catalogue key; [`t`] translates it.\n",
    );
    out.push_str("#[derive(Clone, Copy, Debug, PartialEq, Eq)]\npub enum Msg {\n");
    for m in &plain {
        let Value::Plain(es) = &m.values[0] else {
            unreachable!()
        };
        let _ = writeln!(
            out,
            "    #[doc = {:?}]",
            format!("`{}`: {}", m.namespace, es.raw)
        );
        let _ = writeln!(out, "    {},", m.key);
    }
    out.push_str("}\n\n");

    for (i, (code, _)) in LANGS.iter().enumerate() {
        let _ = writeln!(
            out,
            "static {}: [&str; {}] = [",
            code.to_uppercase(),
            plain.len()
        );
        for m in &plain {
            let Value::Plain(text) = &m.values[i] else {
                unreachable!()
            };
            // Only placeholder-free texts get here; `{{`/`}}` become single braces.
            let _ = writeln!(
                out,
                "    {:?},",
                text.raw.replace("{{", "{").replace("}}", "}")
            );
        }
        out.push_str("];\n\n");
    }
    out.push_str("/// Translates `msg` into `lang`.\npub fn t(lang: Lang, msg: Msg) -> &'static str {\n    match lang {\n");
    for (code, variant) in LANGS {
        let _ = writeln!(
            out,
            "        Lang::{variant} => {}[msg as usize],",
            code.to_uppercase()
        );
    }
    out.push_str("    }\n}\n\n");

    out.push_str(
        "/// Messages with placeholders or plural forms, one function per catalogue key (in \
         snake_case).\n///\n/// Each takes the language, then the placeholders in **alphabetical \
         order**, so that a translator\n/// reordering a sentence never reorders the arguments. \
         `count` is an `i64` and picks the plural\n/// form (Spanish and English: `one` for 1, \
         `other` for anything else).\npub mod fmt {\n",
    );
    if !formatted.is_empty() {
        out.push_str("    use super::Lang;\n\n");
    }
    for m in &formatted {
        let name = snake(&m.key);
        let placeholders = m.values[0].placeholders();
        let mut doc = format!("`{}` · {}", m.namespace, m.key);
        for ((code, _), value) in LANGS.iter().zip(&m.values) {
            match value {
                Value::Plain(t) => {
                    let _ = write!(doc, "\n\n{code}: \"{}\"", t.raw);
                }
                Value::Plural { one, other } => {
                    let _ = write!(
                        doc,
                        "\n\n{code}: one \"{}\", other \"{}\"",
                        one.raw, other.raw
                    );
                }
            }
        }
        for line in doc.lines() {
            let _ = writeln!(out, "    #[doc = {:?}]", line);
        }
        let params: Vec<String> = placeholders
            .iter()
            .map(|p| {
                if p == "count" {
                    format!("{p}: i64")
                } else {
                    format!("{p}: impl std::fmt::Display")
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "    pub fn {name}(lang: Lang, {}) -> String {{",
            params.join(", ")
        );
        out.push_str("        match lang {\n");
        for ((code, variant), value) in LANGS.iter().zip(&m.values) {
            // The catalogue syntax is Rust's: `{name}` captures the parameter, `{{` is a brace.
            match value {
                Value::Plain(t) => {
                    let _ = writeln!(out, "            Lang::{variant} => format!({:?}),", t.raw);
                }
                Value::Plural { one, other } => {
                    let _ = writeln!(
                        out,
                        "            Lang::{variant} => if {} {{ format!({:?}) }} else {{ format!({:?}) }},",
                        plural_rule(code),
                        one.raw,
                        other.raw
                    );
                }
            }
        }
        out.push_str("        }\n    }\n\n");
    }
    out.push_str("}\n");
    out
}

/// A JSON object read in file order, keeping duplicate keys so they can be reported.
struct Entries(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of messages")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        d.deserialize_map(Visitor)
    }
}
