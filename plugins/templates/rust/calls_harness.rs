// codeaug calls harness for Rust (rustc 1.63, standard library only).
//
// rust_language.py assembles one main.rs:
//
//     mod __codeaug_solution {
//     <the candidate's solution>
//     pub mod __codeaug_harness {
//     <this file, with the cases in place of the marker in run()>
//     }
//     }
//     fn main() { __codeaug_solution::__codeaug_harness::run(); }
//
// The solution lives in a module of its own, so its `use` lines and even a `fn main` of
// its own cannot collide with the harness; the harness is a child module, so it may call
// the solution's private functions (`super::entry_point`). Each case calls the entry
// point once, catching a panic, and prints on stdout, after a newline:
//     @@codeaug-case@@ <i> ok <the returned value as JSON>
//     @@codeaug-case@@ <i> raised <the panic message as a JSON string>
// then `@@codeaug-done@@`. The expected values are not here: the host compares.
#![allow(dead_code, unused_imports, unused_parens, clippy::all)]

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt::Write as _;
use std::io::Write as _;

/// A value the harness can report as JSON.
pub trait CodeaugJson {
    fn codeaug_json(&self, out: &mut String);
}

/// A value that can be a JSON object key (JSON keys are strings: 5 -> "5").
pub trait CodeaugJsonKey {
    fn codeaug_key(&self) -> String;
}

pub fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            // Everything else, non-ASCII included, as raw UTF-8.
            c => out.push(c),
        }
    }
    out.push('"');
}

pub fn json_f64(x: f64, out: &mut String) {
    if x.is_nan() {
        out.push_str("NaN");
    } else if x.is_infinite() {
        out.push_str(if x > 0.0 { "Infinity" } else { "-Infinity" });
    } else {
        // `{:?}` is the shortest text that reads back as exactly x ("0.1", "-0.0",
        // "1e308", "5e-324"): valid JSON, and as exact as 17 significant digits.
        let _ = write!(out, "{:?}", x);
    }
}

macro_rules! codeaug_json_integers {
    ($($t:ty),*) => {$(
        impl CodeaugJson for $t {
            fn codeaug_json(&self, out: &mut String) {
                let _ = write!(out, "{}", self);
            }
        }
        impl CodeaugJsonKey for $t {
            fn codeaug_key(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
codeaug_json_integers!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

impl CodeaugJson for f64 {
    fn codeaug_json(&self, out: &mut String) {
        json_f64(*self, out);
    }
}

impl CodeaugJson for f32 {
    fn codeaug_json(&self, out: &mut String) {
        json_f64(*self as f64, out);
    }
}

impl CodeaugJson for bool {
    fn codeaug_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl CodeaugJsonKey for bool {
    fn codeaug_key(&self) -> String {
        self.to_string()
    }
}

impl CodeaugJson for () {
    fn codeaug_json(&self, out: &mut String) {
        out.push_str("null");
    }
}

impl CodeaugJson for str {
    fn codeaug_json(&self, out: &mut String) {
        json_string(self, out);
    }
}

impl CodeaugJsonKey for str {
    fn codeaug_key(&self) -> String {
        self.to_string()
    }
}

impl CodeaugJson for String {
    fn codeaug_json(&self, out: &mut String) {
        json_string(self, out);
    }
}

impl CodeaugJsonKey for String {
    fn codeaug_key(&self) -> String {
        self.clone()
    }
}

impl CodeaugJson for char {
    fn codeaug_json(&self, out: &mut String) {
        json_string(&self.to_string(), out);
    }
}

impl CodeaugJsonKey for char {
    fn codeaug_key(&self) -> String {
        self.to_string()
    }
}

impl<T: CodeaugJson + ?Sized> CodeaugJson for &T {
    fn codeaug_json(&self, out: &mut String) {
        (**self).codeaug_json(out);
    }
}

impl<T: CodeaugJsonKey + ?Sized> CodeaugJsonKey for &T {
    fn codeaug_key(&self) -> String {
        (**self).codeaug_key()
    }
}

impl<T: CodeaugJson + ?Sized> CodeaugJson for Box<T> {
    fn codeaug_json(&self, out: &mut String) {
        (**self).codeaug_json(out);
    }
}

impl<T: CodeaugJson> CodeaugJson for Option<T> {
    fn codeaug_json(&self, out: &mut String) {
        match self {
            Some(v) => v.codeaug_json(out),
            None => out.push_str("null"),
        }
    }
}

fn json_array<'a, T: CodeaugJson + 'a, I: Iterator<Item = &'a T>>(items: I, out: &mut String) {
    out.push('[');
    for (i, v) in items.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        v.codeaug_json(out);
    }
    out.push(']');
}

fn json_object<'a, K, V, I>(items: I, out: &mut String)
where
    K: CodeaugJsonKey + 'a,
    V: CodeaugJson + 'a,
    I: Iterator<Item = (&'a K, &'a V)>,
{
    out.push('{');
    for (i, (k, v)) in items.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        json_string(&k.codeaug_key(), out);
        out.push_str(": ");
        v.codeaug_json(out);
    }
    out.push('}');
}

impl<T: CodeaugJson> CodeaugJson for [T] {
    fn codeaug_json(&self, out: &mut String) {
        json_array(self.iter(), out);
    }
}

impl<T: CodeaugJson, const N: usize> CodeaugJson for [T; N] {
    fn codeaug_json(&self, out: &mut String) {
        json_array(self.iter(), out);
    }
}

impl<T: CodeaugJson> CodeaugJson for Vec<T> {
    fn codeaug_json(&self, out: &mut String) {
        json_array(self.iter(), out);
    }
}

impl<T: CodeaugJson> CodeaugJson for VecDeque<T> {
    fn codeaug_json(&self, out: &mut String) {
        json_array(self.iter(), out);
    }
}

impl<T: CodeaugJson, S> CodeaugJson for HashSet<T, S> {
    fn codeaug_json(&self, out: &mut String) {
        json_array(self.iter(), out);
    }
}

impl<T: CodeaugJson> CodeaugJson for BTreeSet<T> {
    fn codeaug_json(&self, out: &mut String) {
        json_array(self.iter(), out);
    }
}

impl<K: CodeaugJsonKey, V: CodeaugJson, S> CodeaugJson for HashMap<K, V, S> {
    fn codeaug_json(&self, out: &mut String) {
        json_object(self.iter(), out);
    }
}

impl<K: CodeaugJsonKey, V: CodeaugJson> CodeaugJson for BTreeMap<K, V> {
    fn codeaug_json(&self, out: &mut String) {
        json_object(self.iter(), out);
    }
}

macro_rules! codeaug_json_tuples {
    ($(($($t:ident $i:tt),+)),*) => {$(
        impl<$($t: CodeaugJson),+> CodeaugJson for ($($t,)+) {
            fn codeaug_json(&self, out: &mut String) {
                out.push('[');
                $(
                    if $i > 0 {
                        out.push_str(", ");
                    }
                    self.$i.codeaug_json(out);
                )+
                out.push(']');
            }
        }
    )*};
}
codeaug_json_tuples!(
    (A 0),
    (A 0, B 1),
    (A 0, B 1, C 2),
    (A 0, B 1, C 2, D 3),
    (A 0, B 1, C 2, D 3, E 4),
    (A 0, B 1, C 2, D 3, E 4, F 5),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11)
);

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panicked (with a payload that is not a string)".to_string()
    }
}

fn emit(line: &str) {
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    let _ = lock.write_all(line.as_bytes());
    let _ = lock.flush();
}

pub fn report<T: CodeaugJson>(index: usize, outcome: std::thread::Result<T>) {
    let mut line = format!("\n@@codeaug-case@@ {} ", index);
    match outcome {
        Ok(value) => {
            line.push_str("ok ");
            value.codeaug_json(&mut line);
        }
        Err(payload) => {
            line.push_str("raised ");
            json_string(&panic_message(&*payload), &mut line);
        }
    }
    line.push('\n');
    emit(&line);
}

pub fn run() {
    // A panic is reported as the case's result; the default hook's stderr line would
    // only repeat it.
    std::panic::set_hook(Box::new(|_| {}));
    /*@@codeaug-cases@@*/
    emit("\n@@codeaug-done@@\n");
}
