// ---- codeaug io main: read the arguments from stdin, print the result ----
// The entry point's own parameter and return types say how to read and print
// (function templates over vector, set, map, optional, tuple/pair/array, scalars).
namespace codeaug_io {
static const bool BATCH = __CODEAUG_BATCH__;
static const bool ONE_PER_LINE = __CODEAUG_ONE_PER_LINE__;
static const char* const TRUE_WORD = "__CODEAUG_TRUE__";
static const char* const FALSE_WORD = "__CODEAUG_FALSE__";

struct Reader {
    std::string data;
    size_t pos = 0;
    bool line_start = true;
    static bool space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
    std::string token() {
        while (pos < data.size() && space(data[pos])) ++pos;
        size_t start = pos;
        while (pos < data.size() && !space(data[pos])) ++pos;
        if (start == pos) throw std::runtime_error("codeaug io: unexpected end of input");
        line_start = false;
        return data.substr(start, pos - start);
    }
    std::string line() {
        if (!line_start) {
            size_t nl = data.find('\n', pos);
            pos = nl == std::string::npos ? data.size() : nl + 1;
        }
        size_t end = data.find('\n', pos);
        if (end == std::string::npos) end = data.size();
        std::string text = data.substr(pos, end - pos);
        pos = std::min(end + 1, data.size());
        line_start = true;
        return text;
    }
};

template <class T> struct is_seq : std::false_type {};
template <class T, class A> struct is_seq<std::vector<T, A>> : std::true_type {};
template <class T, class A> struct is_seq<std::deque<T, A>> : std::true_type {};
template <class T, class A> struct is_seq<std::list<T, A>> : std::true_type {};
template <class T> struct is_set : std::false_type {};
template <class T, class C, class A> struct is_set<std::set<T, C, A>> : std::true_type {};
template <class T, class H, class E, class A>
struct is_set<std::unordered_set<T, H, E, A>> : std::true_type {};
template <class T> struct is_map : std::false_type {};
template <class K, class V, class C, class A> struct is_map<std::map<K, V, C, A>> : std::true_type {};
template <class K, class V, class H, class E, class A>
struct is_map<std::unordered_map<K, V, H, E, A>> : std::true_type {};
template <class T> struct is_opt : std::false_type {};
template <class T> struct is_opt<std::optional<T>> : std::true_type {};
template <class T> struct is_tuple : std::false_type {};
template <class... T> struct is_tuple<std::tuple<T...>> : std::true_type {};
template <class A, class B> struct is_tuple<std::pair<A, B>> : std::true_type {};
template <class T, size_t N> struct is_tuple<std::array<T, N>> : std::true_type {};
template <class T> constexpr bool is_inline = std::is_arithmetic_v<T>;
template <class T> constexpr bool always_false = false;

template <class T> void read(Reader& r, T& x) {
    if constexpr (std::is_same_v<T, bool>) {
        std::string w = r.token();
        if (w == TRUE_WORD) x = true;
        else if (w == FALSE_WORD) x = false;
        else throw std::runtime_error("codeaug io: not a bool: " + w);
    } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
        x = (T)std::strtoll(r.token().c_str(), nullptr, 10);
    } else if constexpr (std::is_integral_v<T>) {
        x = (T)std::strtoull(r.token().c_str(), nullptr, 10);
    } else if constexpr (std::is_floating_point_v<T>) {
        x = (T)std::strtod(r.token().c_str(), nullptr);
    } else if constexpr (std::is_same_v<T, std::string>) {
        x = r.line();
    } else if constexpr (is_seq<T>::value) {
        size_t n = std::strtoull(r.token().c_str(), nullptr, 10);
        x.clear();
        for (size_t i = 0; i < n; ++i) {
            typename T::value_type v{};
            read(r, v);
            x.push_back(std::move(v));
        }
    } else if constexpr (is_set<T>::value) {
        size_t n = std::strtoull(r.token().c_str(), nullptr, 10);
        x.clear();
        for (size_t i = 0; i < n; ++i) {
            typename T::value_type v{};
            read(r, v);
            x.insert(std::move(v));
        }
    } else if constexpr (is_map<T>::value) {
        size_t n = std::strtoull(r.token().c_str(), nullptr, 10);
        x.clear();
        for (size_t i = 0; i < n; ++i) {
            typename T::key_type k{};
            typename T::mapped_type v{};
            read(r, k);
            read(r, v);
            x.insert_or_assign(std::move(k), std::move(v));
        }
    } else if constexpr (is_opt<T>::value) {
        if (r.token() == "1") {
            typename T::value_type v{};
            read(r, v);
            x = std::move(v);
        } else {
            x.reset();
        }
    } else if constexpr (is_tuple<T>::value) {
        std::apply([&](auto&... part) { (read(r, part), ...); }, x);
    } else {
        static_assert(always_false<T>, "codeaug io: no reader for this parameter type");
    }
}

// Python's repr of a float: the shortest round-trip digits (std::to_chars), laid out
// as Python does (fixed between 1e-4 and 1e16, else d.ddde+XX).
inline std::string py_float_from_sci(const std::string& sci) {
    bool neg = !sci.empty() && sci[0] == '-';
    size_t e = sci.find('e');
    std::string mant = sci.substr(neg ? 1 : 0, e - (neg ? 1 : 0));
    int exp = std::atoi(sci.c_str() + e + 1);
    std::string digits;
    for (char c : mant) if (c != '.') digits += c;
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    std::string sign = neg ? "-" : "";
    if (digits == "0") return sign + "0.0";
    int decpt = exp + 1;
    if (digits.size() > 12) {  // at most 12 significant digits, rounded half-up
        bool up = digits[12] >= '5';
        digits.resize(12);
        if (up) {
            int i = 11;
            while (i >= 0 && digits[i] == '9') digits[i--] = '0';
            if (i < 0) { digits.insert(digits.begin(), '1'); digits.pop_back(); ++decpt; }
            else ++digits[i];
        }
        while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    }
    std::string body;
    if (decpt > -4 && decpt <= 16) {
        if (decpt <= 0) body = "0." + std::string(-decpt, '0') + digits;
        else if (decpt >= (int)digits.size()) body = digits + std::string(decpt - digits.size(), '0') + ".0";
        else body = digits.substr(0, decpt) + "." + digits.substr(decpt);
    } else {
        int ex = decpt - 1;
        char buf[16];
        std::snprintf(buf, sizeof buf, "e%c%02d", ex < 0 ? '-' : '+', ex < 0 ? -ex : ex);
        body = digits.substr(0, 1) + (digits.size() > 1 ? "." + digits.substr(1) : "") + buf;
    }
    return sign + body;
}

template <class F> std::string py_float(F x) {
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
    return py_float_from_sci(std::string(buf, res.ptr));
}

template <class T> std::string tok(const T& x) {
    if constexpr (std::is_same_v<T, bool>) return x ? TRUE_WORD : FALSE_WORD;
    else if constexpr (std::is_floating_point_v<T>) return py_float(x);
    else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) return std::to_string((long long)x);
    else return std::to_string((unsigned long long)x);
}

inline void group(std::vector<std::string>& out, const std::vector<std::string>& tokens) {
    if (tokens.empty()) return;
    if (ONE_PER_LINE) { out.insert(out.end(), tokens.begin(), tokens.end()); return; }
    std::string joined;
    for (size_t i = 0; i < tokens.size(); ++i) joined += (i ? " " : "") + tokens[i];
    out.push_back(joined);
}

template <class T> void write(std::vector<std::string>& out, const T& x);

template <class It> void write_items(std::vector<std::string>& out, It first, It last, size_t n) {
    using V = std::decay_t<decltype(*first)>;
    out.push_back(std::to_string(n));
    if constexpr (is_inline<V>) {
        std::vector<std::string> tokens;
        for (It i = first; i != last; ++i) tokens.push_back(tok(*i));
        group(out, tokens);
    } else {
        for (It i = first; i != last; ++i) write(out, *i);
    }
}

template <class T> void write(std::vector<std::string>& out, const T& x) {
    if constexpr (is_inline<T>) {
        out.push_back(tok(x));
    } else if constexpr (std::is_same_v<T, std::string>) {
        out.push_back(x);
    } else if constexpr (std::is_same_v<T, const char*> || std::is_same_v<T, char*>) {
        out.push_back(std::string(x));
    } else if constexpr (is_seq<T>::value) {
        write_items(out, x.begin(), x.end(), x.size());
    } else if constexpr (is_set<T>::value) {
        std::vector<typename T::value_type> items(x.begin(), x.end());
        std::sort(items.begin(), items.end());
        write_items(out, items.begin(), items.end(), items.size());
    } else if constexpr (is_map<T>::value) {
        using K = typename T::key_type;
        using V = typename T::mapped_type;
        std::vector<std::pair<K, V>> items(x.begin(), x.end());
        std::sort(items.begin(), items.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        out.push_back(std::to_string(items.size()));
        for (const auto& kv : items) {
            if constexpr (is_inline<K> && is_inline<V>) {
                group(out, {tok(kv.first), tok(kv.second)});
            } else {
                write(out, kv.first);
                write(out, kv.second);
            }
        }
    } else if constexpr (is_opt<T>::value) {
        if (!x) { out.push_back("0"); return; }
        out.push_back("1");
        write(out, *x);
    } else if constexpr (is_tuple<T>::value) {
        bool all_inline = std::apply([](const auto&... p) {
            return (true && ... && is_inline<std::decay_t<decltype(p)>>); }, x);
        if (all_inline) {
            std::vector<std::string> tokens;
            std::apply([&](const auto&... p) {
                (([&] { if constexpr (is_inline<std::decay_t<decltype(p)>>) tokens.push_back(tok(p)); }()), ...);
            }, x);
            group(out, tokens);
        } else {
            std::apply([&](const auto&... p) { (write(out, p), ...); }, x);
        }
    } else {
        static_assert(always_false<T>, "codeaug io: no writer for this return type");
    }
}

template <class R, class... A> void run(R (*f)(A...)) {
    Reader r;
    {
        std::ostringstream all;
        all << std::cin.rdbuf();
        r.data = all.str();
    }
    std::vector<std::string> out;
    long long count = BATCH ? std::strtoll(r.token().c_str(), nullptr, 10) : 1;
    for (long long c = 0; c < count; ++c) {
        std::tuple<std::decay_t<A>...> args;
        std::apply([&](auto&... a) { (read(r, a), ...); }, args);
        if constexpr (std::is_void_v<R>) {
            std::apply(f, args);
        } else {
            std::decay_t<R> result = std::apply(f, args);
            write(out, result);
        }
    }
    std::string text;
    for (const auto& l : out) { text += l; text += '\n'; }
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}
}  // namespace codeaug_io

signed main() {
    std::ios::sync_with_stdio(false);
    codeaug_io::run(&__CODEAUG_ENTRY__);
    return 0;
}
