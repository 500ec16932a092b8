// codeaug's calls harness for C++: prints what the candidate returned as JSON.
// Written into every calls job beside main.cpp (see plugins/cpp_language.py); the
// report format is documented in codeaug/calls.py. Needs only the standard library
// (C++17); main.cpp includes <bits/stdc++.h> before it.
#ifndef CODEAUG_JSON_HPP
#define CODEAUG_JSON_HPP

#include <cmath>
#include <cstring>
#include <cstdio>
#include <exception>
#include <iostream>
#include <iterator>
#include <map>
#include <new>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace codeaug {

template <typename T, typename = void> struct is_tuple_like : std::false_type {};
template <typename T>
struct is_tuple_like<T, std::void_t<decltype(std::tuple_size<T>::value)>> : std::true_type {};

template <typename T, typename = void> struct is_range : std::false_type {};
template <typename T>
struct is_range<T, std::void_t<decltype(std::begin(std::declval<const T&>())),
                               decltype(std::end(std::declval<const T&>()))>>
    : std::true_type {};

template <typename T, typename = void> struct is_mapping : std::false_type {};
template <typename T>
struct is_mapping<T, std::void_t<typename T::key_type, typename T::mapped_type>>
    : std::true_type {};

template <typename T> struct is_optional : std::false_type {};
template <typename T> struct is_optional<std::optional<T>> : std::true_type {};

inline void write_string(std::string& out, const std::string& s) {
    static const char* hex = "0123456789abcdef";
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 15];
                } else {
                    out += static_cast<char>(c);  // UTF-8 passes through
                }
        }
    }
    out += '"';
}

inline void write_double(std::string& out, double d) {
    if (std::isnan(d)) { out += "NaN"; return; }
    if (std::isinf(d)) { out += d < 0 ? "-Infinity" : "Infinity"; return; }
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", d);
    out += buf;
    if (std::strpbrk(buf, ".en") == nullptr) out += ".0";  // -0.0 stays -0.0, not 0
}

template <typename T> void write(std::string& out, const T& value);

template <typename Tuple, std::size_t... I>
void write_tuple(std::string& out, const Tuple& t, std::index_sequence<I...>) {
    out += '[';
    ((out += (I == 0 ? "" : ","), write(out, std::get<I>(t))), ...);
    out += ']';
}

template <typename K> void write_key(std::string& out, const K& key) {
    if constexpr (std::is_convertible_v<const K&, std::string>) {
        write_string(out, std::string(key));
    } else {
        std::string inner;  // JSON keys are strings: 12 -> "12"
        write(inner, key);
        if (!inner.empty() && inner[0] == '"') out += inner;
        else write_string(out, inner);
    }
}

template <typename T> void write(std::string& out, const T& value) {
    using U = std::decay_t<T>;
    if constexpr (std::is_same_v<U, bool>) {
        out += value ? "true" : "false";
    } else if constexpr (std::is_same_v<U, std::nullptr_t> || std::is_same_v<U, std::nullopt_t>) {
        out += "null";
    } else if constexpr (std::is_same_v<U, char>) {
        write_string(out, std::string(1, value));
    } else if constexpr (std::is_integral_v<U> || std::is_enum_v<U>) {
        out += std::to_string(value);
    } else if constexpr (std::is_floating_point_v<U>) {
        write_double(out, static_cast<double>(value));
    } else if constexpr (std::is_convertible_v<const U&, std::string>) {
        if constexpr (std::is_pointer_v<U>) {
            if (value == nullptr) { out += "null"; return; }
        }
        write_string(out, std::string(value));
    } else if constexpr (is_optional<U>::value) {
        if (value.has_value()) write(out, *value);
        else out += "null";
    } else if constexpr (is_mapping<U>::value) {
        out += '{';
        bool first = true;
        for (const auto& kv : value) {
            if (!first) out += ',';
            first = false;
            write_key(out, kv.first);
            out += ':';
            write(out, kv.second);
        }
        out += '}';
    } else if constexpr (is_range<U>::value) {
        out += '[';
        bool first = true;
        for (const auto& item : value) {
            if (!first) out += ',';
            first = false;
            write(out, item);
        }
        out += ']';
    } else if constexpr (is_tuple_like<U>::value) {
        write_tuple(out, value, std::make_index_sequence<std::tuple_size<U>::value>{});
    } else {
        static_assert(std::is_same_v<U, void>, "codeaug: cannot print this return type as JSON");
    }
}

inline void emit(const std::string& line) {
    std::cout.flush();
    std::fflush(stdout);
    std::cout << "\n" << line << "\n";
    std::cout.flush();
}

// Runs one case (`call` returns the JSON of the result) and reports it, or the
// exception it threw. std::bad_alloc is not a result: it ends the run, so the host
// sees the out-of-memory. Not a template, so that a hundred cases compile fast.
[[gnu::noinline]] inline void run_case(int index, std::string (*call)()) {
    std::string line = "@@codeaug-case@@ " + std::to_string(index) + " ";
    try {
        line += "ok " + call();
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const std::exception& e) {
        line += "raised ";
        write_string(line, e.what());
    } catch (const std::string& s) {
        line += "raised ";
        write_string(line, s);
    } catch (const char* s) {
        line += "raised ";
        write_string(line, s ? s : "");
    } catch (...) {
        line += "raised \"an exception that is not a std::exception\"";
    }
    emit(line);
}

inline void done() { emit("@@codeaug-done@@"); }

}  // namespace codeaug

#endif
