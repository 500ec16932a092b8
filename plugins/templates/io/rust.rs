// ---- codeaug io main: read the arguments from stdin, print the result ----
// Traits: the entry point's parameter types (inferred from the call) say how to read,
// its return type how to print. Borrowed parameters (&str, &[T], &T) are leaked.
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::{Read as _, Write as _};

const BATCH: bool = __CODEAUG_BATCH__;
const ONE_PER_LINE: bool = __CODEAUG_ONE_PER_LINE__;
const TRUE_WORD: &str = "__CODEAUG_TRUE__";
const FALSE_WORD: &str = "__CODEAUG_FALSE__";

pub struct Reader {
    data: String,
    pos: usize,
    line_start: bool,
}

fn is_space(c: u8) -> bool {
    c == b' ' || c == b'\t' || c == b'\r' || c == b'\n'
}

impl Reader {
    fn token(&mut self) -> String {
        let b = self.data.as_bytes();
        while self.pos < b.len() && is_space(b[self.pos]) {
            self.pos += 1;
        }
        let start = self.pos;
        while self.pos < b.len() && !is_space(b[self.pos]) {
            self.pos += 1;
        }
        if start == self.pos {
            panic!("codeaug io: unexpected end of input");
        }
        self.line_start = false;
        self.data[start..self.pos].to_string()
    }
    fn line(&mut self) -> String {
        if !self.line_start {
            self.pos = match self.data[self.pos..].find('\n') {
                Some(i) => self.pos + i + 1,
                None => self.data.len(),
            };
        }
        let end = match self.data[self.pos..].find('\n') {
            Some(i) => self.pos + i,
            None => self.data.len(),
        };
        let text = self.data[self.pos..end].to_string();
        self.pos = std::cmp::min(end + 1, self.data.len());
        self.line_start = true;
        text
    }
    fn count(&mut self) -> usize {
        self.token().parse().expect("codeaug io: not a count")
    }
}

pub trait IoRead: Sized {
    fn io_read(r: &mut Reader) -> Self;
}

pub trait IoWrite {
    const INLINE: bool = false;
    fn io_token(&self) -> String {
        unreachable!()
    }
    fn io_write(&self, out: &mut Vec<String>);
}

fn group(out: &mut Vec<String>, tokens: Vec<String>) {
    if tokens.is_empty() {
        return;
    }
    if ONE_PER_LINE {
        out.extend(tokens);
    } else {
        out.push(tokens.join(" "));
    }
}

macro_rules! io_ints {
    ($($t:ty),*) => {$(
        impl IoRead for $t {
            fn io_read(r: &mut Reader) -> Self {
                r.token().parse::<$t>().expect("codeaug io: not an int of this type")
            }
        }
        impl IoWrite for $t {
            const INLINE: bool = true;
            fn io_token(&self) -> String { self.to_string() }
            fn io_write(&self, out: &mut Vec<String>) { out.push(self.io_token()); }
        }
    )*};
}
io_ints!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

/// Python's repr of a float, from the shortest round-trip digits (`{:e}`).
fn py_float(sci: String) -> String {
    if sci == "NaN" {
        return "nan".to_string();
    }
    if sci == "inf" || sci == "-inf" {
        return sci;
    }
    let neg = sci.starts_with('-');
    let body = sci.trim_start_matches('-');
    let (mant, exp) = body.split_once('e').unwrap();
    let exp: i32 = exp.parse().unwrap();
    let digits = mant.replace('.', "");
    let mut digits = digits.trim_end_matches('0').to_string();
    let sign = if neg { "-" } else { "" };
    if digits.is_empty() {
        return format!("{}0.0", sign);
    }
    let mut decpt = exp + 1;
    if digits.len() > 12 {
        // at most 12 significant digits, rounded half-up
        let mut d: Vec<u8> = digits.as_bytes()[..12].to_vec();
        if digits.as_bytes()[12] >= b'5' {
            let mut i: i32 = 11;
            while i >= 0 && d[i as usize] == b'9' {
                d[i as usize] = b'0';
                i -= 1;
            }
            if i < 0 {
                d.insert(0, b'1');
                d.pop();
                decpt += 1;
            } else {
                d[i as usize] += 1;
            }
        }
        digits = String::from_utf8(d).unwrap().trim_end_matches('0').to_string();
        if digits.is_empty() {
            digits = "0".to_string();
        }
    }
    let digits = digits.as_str();
    let n = digits.len() as i32;
    let text = if decpt > -4 && decpt <= 16 {
        if decpt <= 0 {
            format!("0.{}{}", "0".repeat((-decpt) as usize), digits)
        } else if decpt >= n {
            format!("{}{}.0", digits, "0".repeat((decpt - n) as usize))
        } else {
            format!("{}.{}", &digits[..decpt as usize], &digits[decpt as usize..])
        }
    } else {
        let e = decpt - 1;
        let frac = if n > 1 { format!(".{}", &digits[1..]) } else { String::new() };
        format!("{}{}e{}{:02}", &digits[..1], frac, if e < 0 { "-" } else { "+" }, e.abs())
    };
    format!("{}{}", sign, text)
}

macro_rules! io_floats {
    ($($t:ty),*) => {$(
        impl IoRead for $t {
            fn io_read(r: &mut Reader) -> Self {
                r.token().parse::<$t>().expect("codeaug io: not a number")
            }
        }
        impl IoWrite for $t {
            const INLINE: bool = true;
            fn io_token(&self) -> String { py_float(format!("{:e}", self)) }
            fn io_write(&self, out: &mut Vec<String>) { out.push(self.io_token()); }
        }
    )*};
}
io_floats!(f32, f64);

impl IoRead for bool {
    fn io_read(r: &mut Reader) -> Self {
        let w = r.token();
        if w == TRUE_WORD {
            true
        } else if w == FALSE_WORD {
            false
        } else {
            panic!("codeaug io: not a bool: {}", w)
        }
    }
}
impl IoWrite for bool {
    const INLINE: bool = true;
    fn io_token(&self) -> String {
        (if *self { TRUE_WORD } else { FALSE_WORD }).to_string()
    }
    fn io_write(&self, out: &mut Vec<String>) {
        out.push(self.io_token());
    }
}

impl IoRead for String {
    fn io_read(r: &mut Reader) -> Self {
        r.line()
    }
}
impl IoWrite for String {
    fn io_write(&self, out: &mut Vec<String>) {
        out.push(self.clone());
    }
}
impl IoWrite for str {
    fn io_write(&self, out: &mut Vec<String>) {
        out.push(self.to_string());
    }
}
impl IoRead for &'static str {
    fn io_read(r: &mut Reader) -> Self {
        Box::leak(r.line().into_boxed_str())
    }
}
impl<T: IoRead + 'static> IoRead for &'static T {
    fn io_read(r: &mut Reader) -> Self {
        Box::leak(Box::new(T::io_read(r)))
    }
}
impl<T: IoRead + 'static> IoRead for &'static mut T {
    fn io_read(r: &mut Reader) -> Self {
        Box::leak(Box::new(T::io_read(r)))
    }
}
impl<T: IoRead + 'static> IoRead for &'static [T] {
    fn io_read(r: &mut Reader) -> Self {
        Box::leak(Vec::<T>::io_read(r).into_boxed_slice())
    }
}
impl<T: IoWrite + ?Sized> IoWrite for &T {
    const INLINE: bool = T::INLINE;
    fn io_token(&self) -> String {
        (**self).io_token()
    }
    fn io_write(&self, out: &mut Vec<String>) {
        (**self).io_write(out)
    }
}

fn write_items<'a, T: IoWrite + 'a>(out: &mut Vec<String>, items: impl Iterator<Item = &'a T>, n: usize) {
    out.push(n.to_string());
    if T::INLINE {
        group(out, items.map(|x| x.io_token()).collect());
    } else {
        for x in items {
            x.io_write(out);
        }
    }
}

impl<T: IoRead> IoRead for Vec<T> {
    fn io_read(r: &mut Reader) -> Self {
        let n = r.count();
        (0..n).map(|_| T::io_read(r)).collect()
    }
}
impl<T: IoWrite> IoWrite for [T] {
    fn io_write(&self, out: &mut Vec<String>) {
        write_items(out, self.iter(), self.len());
    }
}
impl<T: IoWrite> IoWrite for Vec<T> {
    fn io_write(&self, out: &mut Vec<String>) {
        write_items(out, self.iter(), self.len());
    }
}

impl<T: IoRead + std::hash::Hash + Eq> IoRead for HashSet<T> {
    fn io_read(r: &mut Reader) -> Self {
        let n = r.count();
        (0..n).map(|_| T::io_read(r)).collect()
    }
}
impl<T: IoWrite + Ord> IoWrite for HashSet<T> {
    fn io_write(&self, out: &mut Vec<String>) {
        let mut items: Vec<&T> = self.iter().collect();
        items.sort();
        write_items(out, items.into_iter(), self.len());
    }
}
impl<T: IoRead + Ord> IoRead for BTreeSet<T> {
    fn io_read(r: &mut Reader) -> Self {
        let n = r.count();
        (0..n).map(|_| T::io_read(r)).collect()
    }
}
impl<T: IoWrite + Ord> IoWrite for BTreeSet<T> {
    fn io_write(&self, out: &mut Vec<String>) {
        write_items(out, self.iter(), self.len());
    }
}

fn write_entries<K: IoWrite, V: IoWrite>(out: &mut Vec<String>, entries: Vec<(&K, &V)>) {
    out.push(entries.len().to_string());
    for (k, v) in entries {
        if K::INLINE && V::INLINE {
            group(out, vec![k.io_token(), v.io_token()]);
        } else {
            k.io_write(out);
            v.io_write(out);
        }
    }
}
impl<K: IoRead + std::hash::Hash + Eq, V: IoRead> IoRead for HashMap<K, V> {
    fn io_read(r: &mut Reader) -> Self {
        let n = r.count();
        let mut m = HashMap::new();
        for _ in 0..n {
            let k = K::io_read(r);
            let v = V::io_read(r);
            m.insert(k, v);
        }
        m
    }
}
impl<K: IoWrite + Ord, V: IoWrite> IoWrite for HashMap<K, V> {
    fn io_write(&self, out: &mut Vec<String>) {
        let mut entries: Vec<(&K, &V)> = self.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        write_entries(out, entries);
    }
}
impl<K: IoRead + Ord, V: IoRead> IoRead for BTreeMap<K, V> {
    fn io_read(r: &mut Reader) -> Self {
        let n = r.count();
        let mut m = BTreeMap::new();
        for _ in 0..n {
            let k = K::io_read(r);
            let v = V::io_read(r);
            m.insert(k, v);
        }
        m
    }
}
impl<K: IoWrite + Ord, V: IoWrite> IoWrite for BTreeMap<K, V> {
    fn io_write(&self, out: &mut Vec<String>) {
        write_entries(out, self.iter().collect());
    }
}

impl<T: IoRead> IoRead for Option<T> {
    fn io_read(r: &mut Reader) -> Self {
        if r.token() == "1" {
            Some(T::io_read(r))
        } else {
            None
        }
    }
}
impl<T: IoWrite> IoWrite for Option<T> {
    fn io_write(&self, out: &mut Vec<String>) {
        match self {
            None => out.push("0".to_string()),
            Some(v) => {
                out.push("1".to_string());
                v.io_write(out);
            }
        }
    }
}

macro_rules! io_tuples {
    ($(($($n:tt $t:ident),+)),*) => {$(
        impl<$($t: IoRead),+> IoRead for ($($t,)+) {
            fn io_read(r: &mut Reader) -> Self {
                ($($t::io_read(r),)+)
            }
        }
        impl<$($t: IoWrite),+> IoWrite for ($($t,)+) {
            fn io_write(&self, out: &mut Vec<String>) {
                if true $(&& $t::INLINE)+ {
                    group(out, vec![$(self.$n.io_token()),+]);
                } else {
                    $(self.$n.io_write(out);)+
                }
            }
        }
    )*};
}
io_tuples!((0 A), (0 A, 1 B), (0 A, 1 B, 2 C), (0 A, 1 B, 2 C, 3 D), (0 A, 1 B, 2 C, 3 D, 4 E),
           (0 A, 1 B, 2 C, 3 D, 4 E, 5 F));

pub fn run() {
    let mut data = String::new();
    std::io::stdin().read_to_string(&mut data).expect("codeaug io: stdin is not UTF-8");
    let mut r = Reader { data, pos: 0, line_start: true };
    let count = if BATCH { r.count() } else { 1 };
    let mut out: Vec<String> = Vec::new();
    for _ in 0..count {
__CODEAUG_CALL__
    }
    let mut text = String::new();
    for line in out {
        text.push_str(&line);
        text.push('\n');
    }
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    lock.write_all(text.as_bytes()).unwrap();
    lock.flush().unwrap();
}
