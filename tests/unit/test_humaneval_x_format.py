"""The humaneval-x format plugin: the real HumanEval-X files and synthetic lines."""

from __future__ import annotations

import ast
import gzip
import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
from codeaug_plugins import humaneval_x_format
from codeaug_plugins.humaneval_format import HumanEvalFormat
from codeaug_plugins.humaneval_x_format import HumanEvalXFormat, neutral_type

from codeaug.errors import InputError, RecordError
from codeaug.plugins import load_plugins
from codeaug.record import CodeTests, Problem, decode_problem, encode_problem
from codeaug.typesys import parse_type

KEYS = ("python", "cpp", "java", "js", "go", "rust")
LANGUAGE = {"python": "python", "cpp": "cpp", "java": "java", "js": "javascript",
            "go": "go", "rust": "rust"}
PREFIX = {"python": "Python", "cpp": "CPP", "java": "Java", "js": "JavaScript", "go": "Go",
          "rust": "Rust"}


def _raw(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# ------------------------------------------------------------------ real data


@pytest.fixture(scope="module")
def hx_dir(datasets: Path) -> Path:
    return datasets / "humaneval-x"


@pytest.fixture(scope="module")
def raw(hx_dir: Path) -> dict[str, list[dict[str, Any]]]:
    return {key: _raw(hx_dir / f"humaneval_{key}.jsonl.gz") for key in KEYS}


@pytest.fixture(scope="module")
def records(hx_dir: Path) -> list[Problem | RecordError]:
    return list(HumanEvalXFormat().read(hx_dir))


@pytest.fixture(scope="module")
def by_lang(records: list[Problem | RecordError]) -> dict[str, list[Problem]]:
    out: dict[str, list[Problem]] = {LANGUAGE[k]: [] for k in KEYS}
    for rec in records:
        assert isinstance(rec, Problem), rec
        out[rec.language].append(rec)
    return out


def test_164_records_per_language_in_fixed_order(records: list[Any],
                                                 by_lang: dict[str, list[Problem]]) -> None:
    assert not [r for r in records if isinstance(r, RecordError)]
    assert len(records) == 6 * 164
    assert {lang: len(recs) for lang, recs in by_lang.items()} == {
        LANGUAGE[k]: 164 for k in KEYS}
    # A directory reads python, cpp, java, js, go, rust in that order, each file in order.
    order = [r.language for r in records]
    assert order == [LANGUAGE[k] for k in KEYS for _ in range(164)]
    for key in KEYS:
        assert [r.id for r in by_lang[LANGUAGE[key]]] == [
            f"{PREFIX[key]}/{n}" for n in range(164)]


def test_meta_and_round_trip(raw: dict[str, list[dict[str, Any]]],
                             by_lang: dict[str, list[Problem]]) -> None:
    for key in KEYS:
        for line, (task, rec) in enumerate(zip(raw[key], by_lang[LANGUAGE[key]],
                                               strict=True), start=1):
            assert rec.prompt == task["prompt"]
            assert rec.constraints == []
            example = "" if task["example_test"] == "None" else task["example_test"]
            assert rec.meta == {
                "source": {"format": "humaneval-x", "file": f"humaneval_{key}.jsonl.gz",
                           "line": line, "task_id": task["task_id"],
                           "language": LANGUAGE[key]},
                "humaneval_x": {"declaration": task["declaration"], "example_test": example},
                # The same number in every language: what `import --merge` groups on.
                "task": "HumanEval/" + task["task_id"].split("/")[1],
            }
            assert decode_problem(encode_problem(rec)) == rec


def _program(rec: Problem) -> tuple[str, str]:
    assert isinstance(rec.tests, CodeTests)
    return rec.solution, rec.tests.code


@pytest.mark.parametrize("key", ["python", "cpp", "java", "js"])
def test_solution_and_code_reproduce_the_original_assembly(
    key: str, raw: dict[str, list[dict[str, Any]]], by_lang: dict[str, list[Problem]]
) -> None:
    """The original harness runs prompt + canonical_solution + "\\n" + test."""
    for task, rec in zip(raw[key], by_lang[LANGUAGE[key]], strict=True):
        solution, code = _program(rec)
        assert solution == task["prompt"] + task["canonical_solution"]
        assert code == task["test"]
        original = task["prompt"] + task["canonical_solution"] + "\n" + task["test"]
        assert solution + "\n" + code == original
        if key == "python":  # the record's program, solution + "\n\n" + code, is the same
            assert ast.dump(ast.parse(solution + "\n\n" + code)) == ast.dump(
                ast.parse(original + "\n")), rec.id


def test_rust_assembly(raw: dict[str, list[dict[str, Any]]],
                       by_lang: dict[str, list[Problem]]) -> None:
    for task, rec in zip(raw["rust"], by_lang["rust"], strict=True):
        solution, code = _program(rec)
        assert solution == "fn main(){}\n" + task["declaration"] + task["canonical_solution"]
        assert code == task["test"]
        for crate in ("use rand::Rng;", "use regex::Regex;", "use md5;"):
            assert crate in solution


_GO_BLOCK = re.compile(r"^import\s*\((?P<specs>[^)]*)\)\n?|^import\s+(?P<one>\"[^\"]+\")\n?",
                       re.MULTILINE)


def _go_split(source: str) -> tuple[list[str], str]:
    """(import specs, source without its import declarations)."""
    specs: list[str] = []
    for m in _GO_BLOCK.finditer(source):
        specs += (m.group("specs") or m.group("one")).split()
    return specs, _GO_BLOCK.sub("", source)


def _hoist(solution: str, code: str) -> str:
    """What the Go plugin does: one file, the code's imports merged into the solution's."""
    sol_specs, sol_rest = _go_split(solution)
    code_specs, code_rest = _go_split(code)
    merged = list(dict.fromkeys(sol_specs + code_specs))
    assert sol_rest.startswith("package main\n\n")
    block = "import (\n" + "".join(f"    {s}\n" for s in merged) + ")\n"
    return "package main\n\n" + block + sol_rest[len("package main\n\n"):] + "\n" + code_rest


def test_go_hoisting_contract(raw: dict[str, list[dict[str, Any]]],
                              by_lang: dict[str, list[Problem]]) -> None:
    """solution = package + the task's import block + prompt without it + canonical;
    code = test_setup minus its package line (an import block) + test. Hoisting the
    code's imports gives the original program: test_setup + imports + prompt + solution
    + test, up to the order and duplicates of import specs."""
    for task, rec in zip(raw["go"], by_lang["go"], strict=True):
        solution, code = _program(rec)
        setup_imports = task["test_setup"].replace("package main\n", "", 1).lstrip("\n")
        assert setup_imports.startswith("import (") and '"testing"' in setup_imports
        assert code == setup_imports + task["test"]
        imports = task["import"]
        assert solution == ("package main\n\n" + imports
                            + task["prompt"].replace(imports, "", 1) + task["canonical_solution"]
                            if imports else
                            "package main\n\n" + task["prompt"] + task["canonical_solution"])
        assert "package" not in code and solution.count("package ") == 1
        # Independently: the original program, and ours after hoisting.
        body = task["prompt"].replace(imports, "") if imports else task["prompt"]
        original = (task["test_setup"] + "\n" + imports + "\n" + body
                    + task["canonical_solution"] + "\n" + task["test"])
        ours = _hoist(solution, code)
        o_specs, o_rest = _go_split(original)
        h_specs, h_rest = _go_split(ours)
        assert set(h_specs) == set(o_specs) and len(h_specs) == len(set(h_specs)), rec.id
        assert h_rest.split() == o_rest.split(), rec.id


def test_go_import_missing_from_prompt_is_still_added(by_lang: dict[str, list[Problem]]) -> None:
    """Go/65's `import` field (strconv) is not in its prompt; the solution still has it."""
    rec = by_lang["go"][65]
    assert rec.id == "Go/65" and "import (\n" not in rec.prompt
    assert rec.solution.startswith('package main\n\nimport (\n    "strconv"\n)\n')


def test_python_records_run(by_lang: dict[str, list[Problem]]) -> None:
    """Every assembled Python program (solution + "\\n\\n" + code) exits 0."""

    def run(rec: Problem) -> tuple[str, int, str]:
        solution, code = _program(rec)
        proc = subprocess.run([sys.executable, "-c", solution + "\n\n" + code],
                              capture_output=True, text=True, timeout=120)
        return rec.id, proc.returncode, proc.stderr[-300:]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(run, by_lang["python"]))
    assert len(results) == 164
    assert [r for r in results if r[1] != 0] == []


# Upstream names that differ from the Python entry point (typos and renames in the data).
RENAMED = {
    "CPP/27": "filp_case", "CPP/77": "iscuber", "CPP/121": "solutions",
    "CPP/147": "get_matrix_triples", "CPP/156": "int_to_mini_romank",
    "Java/22": "filterIntergers", "Java/99": "countUpper", "Java/101": "wordStrings",
    "Java/149": "listSort",
    "Rust/35": "maximum", "Rust/50": "encode_shift", "Rust/61": "correct_bracketing_parenthesis",
    "Rust/71": "triangle_area_f64", "Rust/77": "iscuber", "Rust/85": "add_even_odd",
    "Rust/116": "sort_array_1", "Rust/120": "maximum_120", "Rust/121": "solutions",
    "Rust/142": "sum_squares_142", "Rust/147": "get_matrix_triples",
    "Rust/156": "int_to_mini_romank", "Rust/161": "solve_161",
}


def _norm(name: str) -> str:
    return name.replace("_", "").lower()


def test_entry_points_found_for_all(datasets: Path, by_lang: dict[str, list[Problem]]) -> None:
    humaneval = {t["task_id"].split("/")[1]: t["entry_point"]
                 for t in _raw(datasets / "humaneval" / "HumanEval.jsonl.gz")}
    for lang, recs in by_lang.items():
        for rec in recs:
            number = rec.id.split("/")[1]
            assert rec.entry_point.isidentifier(), rec.id
            _, code = _program(rec)
            if rec.id != "Rust/32":  # its test is commented out upstream
                assert re.search(rf"\b{rec.entry_point}\s*\(", code), rec.id
            expected = RENAMED.get(rec.id, humaneval[number])
            assert _norm(rec.entry_point) == _norm(expected), (lang, rec.id, rec.entry_point)
    # Not the declared helper: the canonical solution defines the real function.
    assert by_lang["rust"][10].entry_point == "make_palindrome"
    assert by_lang["rust"][32].entry_point == "find_zero"


def test_python_signatures_as_humaneval(datasets: Path,
                                        by_lang: dict[str, list[Problem]]) -> None:
    he = [r for r in HumanEvalFormat().read(datasets / "humaneval" / "HumanEval.jsonl.gz")]
    for he_rec, rec in zip(he, by_lang["python"], strict=True):
        assert isinstance(he_rec, Problem)
        assert rec.entry_point == he_rec.entry_point
        assert rec.signature == he_rec.signature, rec.id


def _sig(rec: Problem) -> tuple[list[tuple[str, str]], str]:
    return [(p.name, p.type) for p in rec.signature.params], rec.signature.returns


@pytest.mark.parametrize(
    ("task", "params", "returns"),
    [
        ("CPP/0", [("numbers", "list[float]"), ("threshold", "float")], "bool"),
        ("CPP/52", [("l", "list[int]"), ("t", "int")], "bool"),
        ("CPP/87", [("lst", "list[list[int]]"), ("x", "int")], "list[list[int]]"),
        ("CPP/114", [("nums", "list[int]")], "int"),
        ("CPP/137", [("a", "any"), ("b", "any")], "any"),
        ("Java/12", [("strings", "list[str]")], "optional[str]"),
        ("Java/92", [("x", "any"), ("y", "any"), ("z", "any")], "bool"),
        ("Java/95", [("dict", "any")], "bool"),
        ("JavaScript/0", [("numbers", "any"), ("threshold", "any")], "any"),
        ("Go/0", [("numbers", "list[float]"), ("threshold", "float")], "bool"),
        ("Go/92", [("x", "any"), ("y", "any"), ("z", "any")], "bool"),
        ("Go/136", [("lst", "list[int]")], "any"),
        ("Go/159", [("number", "int"), ("need", "int"), ("remaining", "int")], "list[int]"),
        ("Rust/5", [("numbers", "list[any]"), ("delimeter", "any")], "list[any]"),
        ("Rust/8", [("numbers", "list[int]")], "tuple[int,int]"),
        ("Rust/12", [("strings", "list[str]")], "optional[str]"),
        ("Rust/13", [("a", "int"), ("b", "int")], "int"),
        ("Rust/32", [("xs", "list[float]")], "float"),
        ("Rust/137", [("a", "any"), ("b", "any")], "any"),
    ],
)
def test_real_signatures(task: str, params: list[tuple[str, str]], returns: str,
                         by_lang: dict[str, list[Problem]]) -> None:
    recs = {r.id: r for recs in by_lang.values() for r in recs}
    assert _sig(recs[task]) == (params, returns)


def test_every_signature_is_valid(by_lang: dict[str, list[Problem]]) -> None:
    for recs in by_lang.values():
        for rec in recs:
            for p in rec.signature.params:
                assert p.name.isidentifier() and parse_type(p.type), rec.id
            parse_type(rec.signature.returns)


def test_single_file_equals_the_directory_slice(hx_dir: Path,
                                                by_lang: dict[str, list[Problem]]) -> None:
    for key in ("cpp", "go"):
        alone = list(HumanEvalXFormat().read(hx_dir / f"humaneval_{key}.jsonl.gz"))
        assert alone == by_lang[LANGUAGE[key]]


# ------------------------------------------------------------------ type mapping


@pytest.mark.parametrize(
    ("lang", "written", "neutral"),
    [
        ("cpp", "int", "int"), ("cpp", "long long", "int"), ("cpp", "float", "float"),
        ("cpp", "double", "float"), ("cpp", "string", "str"), ("cpp", "const string &", "str"),
        ("cpp", "bool", "bool"), ("cpp", "vector<vector<int>>", "list[list[int]]"),
        ("cpp", "vector<long long>", "list[int]"), ("cpp", "std::vector<string>", "list[str]"),
        ("cpp", "char", "any"), ("cpp", "map<string,string>", "any"),
        ("cpp", "boost::any", "any"), ("cpp", "list_any", "any"), ("cpp", "unsigned", "any"),
        ("java", "int", "int"), ("java", "Integer", "int"), ("java", "long", "int"),
        ("java", "double", "float"), ("java", "String", "str"), ("java", "boolean", "bool"),
        ("java", "List<List<Integer>>", "list[list[int]]"), ("java", "ArrayList<String>",
                                                             "list[str]"),
        ("java", "Optional<Integer>", "optional[int]"), ("java", "int[]", "list[int]"),
        ("java", "Object", "any"), ("java", "Map<String, Integer>", "any"),
        ("java", "List<Object>", "list[any]"), ("java", "char", "any"),
        ("go", "int", "int"), ("go", "float64", "float"), ("go", "string", "str"),
        ("go", "bool", "bool"), ("go", "[]int", "list[int]"), ("go", "[][]int", "list[list[int]]"),
        ("go", "[]interface{}", "list[any]"), ("go", "[2]int", "any"),
        ("go", "interface{}", "any"), ("go", "map[rune]int", "any"), ("go", "rune", "any"),
        ("rust", "i32", "int"), ("rust", "i64", "int"), ("rust", "f32", "float"),
        ("rust", "f64", "float"), ("rust", "String", "str"), ("rust", "&str", "str"),
        ("rust", "&'a str", "str"), ("rust", "&Vec<f64>", "list[float]"),
        ("rust", "Vec<Vec<i32>>", "list[list[int]]"), ("rust", "Vec<&str>", "list[str]"),
        ("rust", "Option<String>", "optional[str]"), ("rust", "(i32, i32)", "tuple[int,int]"),
        ("rust", "bool", "bool"), ("rust", "u32", "any"), ("rust", "usize", "any"),
        ("rust", "char", "any"), ("rust", "HashMap<char, i32>", "any"),
        ("rust", "Box<dyn Any>", "any"), ("rust", "Option<Box<dyn Any>>", "any"),
    ],
)
def test_declaration_types_map_conservatively(lang: str, written: str, neutral: str) -> None:
    assert neutral_type(lang, written) == neutral
    parse_type(neutral)


def test_missing_return_type() -> None:
    assert neutral_type("go", "", returning=True) == "none"
    assert neutral_type("rust", "", returning=True) == "none"
    assert neutral_type("cpp", "void") == "none"


# ------------------------------------------------------------------ synthetic files


def _item(key: str, n: int, **override: Any) -> dict[str, Any]:
    """A small valid item of language ``key`` (the shapes of the real files)."""
    tid = f"{PREFIX[key]}/{n}"
    items: dict[str, dict[str, Any]] = {
        "python": {"prompt": f"def f{n}(x: int) -> int:\n    \"\"\"Add.\"\"\"\n",
                   "declaration": f"def f{n}(x: int) -> int:\n",
                   "canonical_solution": "    return x + 1\n",
                   "test": f"def check(f):\n    assert f(1) == 2\n\ncheck(f{n})"},
        "cpp": {"prompt": f"/* add */\n#include<vector>\nusing namespace std;\n"
                          f"long long f{n}(vector<int> xs, double y){{\n",
                "declaration": f"#include<vector>\nusing namespace std;\n"
                               f"long long f{n}(vector<int> xs, double y){{\n",
                "canonical_solution": "    return xs.size();\n}\n",
                "test": "#undef NDEBUG\n#include<assert.h>\n"
                        f"int main(){{ assert(f{n}({{1}}, 0)==1); }}\n"},
        "java": {"prompt": f"import java.util.*;\n\nclass Solution {{\n"
                           f"    public List<String> f{n}(String s, boolean b) {{\n",
                 "declaration": f"import java.util.*;\n\nclass Solution {{\n"
                                f"    public List<String> f{n}(String s, boolean b) {{\n",
                 "canonical_solution": "        return List.of(s);\n    }\n}",
                 "test": f"public class Main {{ public static void main(String[] a) {{"
                         f" new Solution().f{n}(\"x\", true); }} }}"},
        "js": {"prompt": f"/* add */\nconst f{n} = (a, b) => {{\n",
               "declaration": f"\nconst f{n} = (a, b) => {{\n",
               "canonical_solution": "  return a + b;\n}\n",
               "test": f"console.assert(f{n}(1, 2) === 3)\n"},
        "go": {"prompt": "import (\n    \"strings\"\n)\n\n"
                         f"// doc\nfunc F{n}(s, t string) []string {{\n",
               "declaration": f"\nfunc F{n}(s, t string) []string {{\n",
               "canonical_solution": "    return strings.Split(s, t)\n}\n",
               "test": f"func TestF{n}(t *testing.T) {{\n"
                       f"    assert.Equal(t, 1, len(F{n}(\"a\", \",\")))\n}}\n",
               "import": "import (\n    \"strings\"\n)\n", "docstring": "// doc\n",
               "test_setup": "package main\n\nimport (\n    \"testing\"\n"
                             "    \"github.com/stretchr/testify/assert\"\n)\n"},
        "rust": {"prompt": "\n/* add */\n",
                 "declaration": f"\nuse rand::Rng;\nuse regex::Regex;\nuse md5;\n\n"
                                f"fn f{n}(mut a: i32, s: &str) -> Vec<String>{{\n",
                 "canonical_solution": "    vec![s.to_string()]\n}\n",
                 "test": f"\n#[cfg(test)]\nmod tests {{\n    use super::*;\n    #[test]\n"
                         f"    fn t() {{ assert_eq!(f{n}(1, \"a\").len(), 1); }}\n}}\n",
                 "example_test": "None"},
    }
    item = {"task_id": tid, "example_test": "", **items[key]}
    item.update(override)
    return item


def _write(path: Path, lines: list[str]) -> Path:
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    if path.suffix == ".gz":
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


def _read(path: Path) -> list[Problem | RecordError]:
    return list(HumanEvalXFormat().read(path))


@pytest.mark.parametrize("key", KEYS)
def test_synthetic_item_per_language(tmp_path: Path, key: str) -> None:
    path = _write(tmp_path / f"humaneval_{key}.jsonl", [json.dumps(_item(key, 3))])
    (rec,) = _read(path)
    assert isinstance(rec, Problem), rec
    assert rec.language == LANGUAGE[key] and rec.id == f"{PREFIX[key]}/3"
    expected = {
        "python": ("f3", [("x", "int")], "int"),
        "cpp": ("f3", [("xs", "list[int]"), ("y", "float")], "int"),
        "java": ("f3", [("s", "str"), ("b", "bool")], "list[str]"),
        "js": ("f3", [("a", "any"), ("b", "any")], "any"),
        "go": ("F3", [("s", "str"), ("t", "str")], "list[str]"),
        "rust": ("f3", [("a", "int"), ("s", "str")], "list[str]"),
    }[key]
    assert (rec.entry_point, *_sig(rec)) == expected
    assert rec.meta["humaneval_x"]["example_test"] == ""
    if key == "go":
        solution, code = _program(rec)
        assert solution == ('package main\n\nimport (\n    "strings"\n)\n\n// doc\n'
                            "func F3(s, t string) []string {\n"
                            "    return strings.Split(s, t)\n}\n")
        assert code.startswith('import (\n    "testing"\n') and code.endswith(")\n" + (
            _item("go", 3)["test"]))


def test_go_without_import(tmp_path: Path) -> None:
    item = _item("go", 1, prompt="// doc\nfunc F1(s, t string) []string {\n", **{"import": ""})
    (rec,) = _read(_write(tmp_path / "humaneval_go.jsonl", [json.dumps(item)]))
    assert isinstance(rec, Problem)
    assert rec.solution.startswith("package main\n\n// doc\nfunc F1(")


def test_language_from_task_id_when_the_name_does_not_say(tmp_path: Path) -> None:
    path = _write(tmp_path / "mixed.jsonl.gz",
                  [json.dumps(_item("cpp", 1)), json.dumps(_item("rust", 1)),
                   json.dumps(_item("js", 1, task_id="Kotlin/1"))])
    first, second, third = _read(path)
    assert isinstance(first, Problem) and first.language == "cpp"
    assert isinstance(second, Problem) and second.language == "rust"
    assert isinstance(third, RecordError) and third.field == "task_id"
    assert "Kotlin" in third.message and third.line == 3


def test_task_id_of_another_language_in_a_named_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "humaneval_cpp.jsonl",
                  [json.dumps(_item("cpp", 1)), json.dumps(_item("cpp", 2, task_id="Java/2"))])
    ok, bad = _read(path)
    assert isinstance(ok, Problem)
    assert isinstance(bad, RecordError) and (bad.field, bad.line) == ("task_id", 2)


def test_directory_reads_every_language_file_in_order(tmp_path: Path) -> None:
    _write(tmp_path / "humaneval_rust.jsonl", [json.dumps(_item("rust", 0))])
    _write(tmp_path / "humaneval_cpp.jsonl.gz", [json.dumps(_item("cpp", 0))])
    _write(tmp_path / "humaneval_python.jsonl", [json.dumps(_item("python", 0))])
    _write(tmp_path / "other.jsonl", [json.dumps(_item("java", 0))])  # not a language file
    recs = _read(tmp_path)
    assert [r.id for r in recs if isinstance(r, Problem)] == ["Python/0", "CPP/0", "Rust/0"]
    assert [r.meta["source"]["file"] for r in recs if isinstance(r, Problem)] == [
        "humaneval_python.jsonl", "humaneval_cpp.jsonl.gz", "humaneval_rust.jsonl"]


def test_directory_without_files_or_with_both_forms(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no humaneval_"):
        _read(tmp_path)
    _write(tmp_path / "humaneval_go.jsonl", [json.dumps(_item("go", 0))])
    _write(tmp_path / "humaneval_go.jsonl.gz", [json.dumps(_item("go", 0))])
    with pytest.raises(InputError, match="both"):
        _read(tmp_path)


@pytest.mark.parametrize(
    ("line", "field", "needle"),
    [
        ("{not json", None, "invalid JSON"),
        ("[1, 2]", None, "JSON object"),
        (json.dumps({k: v for k, v in _item("cpp", 9).items() if k != "test"}), "test",
         "missing"),
        (json.dumps(_item("cpp", 9, declaration=None)), "declaration", "got null"),
        (json.dumps(_item("cpp", 9, prompt=3)), "prompt", "got number"),
        (json.dumps(_item("cpp", 9, example_test=[1])), "example_test", "got array"),
        (json.dumps(_item("cpp", 9, task_id=" ")), "task_id", "empty"),
        (json.dumps(_item("cpp", 9, declaration="#include<vector>\n")), "declaration",
         "no function"),
        (json.dumps(_item("cpp", 2, text="x", extra=[1])), None, None),  # extra: ignored
    ],
)
def test_bad_line_is_an_error_and_the_rest_go_on(
    tmp_path: Path, line: str, field: str | None, needle: str | None
) -> None:
    path = _write(tmp_path / "humaneval_cpp.jsonl",
                  [json.dumps(_item("cpp", 1)), line, json.dumps(_item("cpp", 3))])
    recs = _read(path)
    assert len(recs) == 3
    assert [r.id for r in (recs[0], recs[2]) if isinstance(r, Problem)] == ["CPP/1", "CPP/3"]
    err = recs[1]
    if needle is None:
        assert isinstance(err, Problem) and err.id == "CPP/2"
        return
    assert isinstance(err, RecordError)
    assert (err.path, err.line, err.field) == (str(path), 2, field)
    assert needle in err.message and f"{path}:2" in str(err)


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"test_setup": None}, "test_setup"),
        ({"import": 5}, "import"),
        ({"test_setup": "import (\n    \"testing\"\n)\n"}, "test_setup"),
        ({"test_setup": "package main\n"}, "test_setup"),
    ],
)
def test_bad_go_fields(tmp_path: Path, override: dict[str, Any], field: str) -> None:
    item = {k: v for k, v in _item("go", 2, **override).items() if v is not None}
    path = _write(tmp_path / "humaneval_go.jsonl", [json.dumps(item), json.dumps(_item("go", 3))])
    err, ok = _read(path)
    assert isinstance(err, RecordError) and err.field == field, err
    assert isinstance(ok, Problem)


def test_python_prompt_that_does_not_parse(tmp_path: Path) -> None:
    path = _write(tmp_path / "humaneval_python.jsonl",
                  [json.dumps(_item("python", 1, prompt="def f1(:\n")),
                   json.dumps(_item("python", 2))])
    err, ok = _read(path)
    assert isinstance(err, RecordError) and err.field == "prompt"
    assert "does not parse" in err.message and isinstance(ok, Problem)


def test_invalid_utf8_line(tmp_path: Path) -> None:
    path = tmp_path / "humaneval_js.jsonl"
    good = [json.dumps(_item("js", n)).encode() for n in (1, 3)]
    path.write_bytes(good[0] + b"\n\xff\xfe\n" + good[1])
    recs = _read(path)
    assert isinstance(recs[1], RecordError) and "UTF-8" in recs[1].message
    assert sum(isinstance(r, Problem) for r in recs) == 2


def test_duplicates_within_one_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "humaneval_java.jsonl",
                  [json.dumps(_item("java", 1)), json.dumps(_item("java", 2)),
                   json.dumps(_item("java", 1))])
    first, second, dup = _read(path)
    assert isinstance(first, Problem) and isinstance(second, Problem)
    assert isinstance(dup, RecordError) and (dup.field, dup.line) == ("task_id", 3)
    assert "line 1" in dup.message


def test_same_number_in_two_languages_is_no_duplicate(tmp_path: Path) -> None:
    _write(tmp_path / "humaneval_java.jsonl", [json.dumps(_item("java", 1))])
    _write(tmp_path / "humaneval_js.jsonl", [json.dumps(_item("js", 1))])
    assert [r.id for r in _read(tmp_path)] == ["Java/1", "JavaScript/1"]


def test_missing_and_truncated_files(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        _read(tmp_path / "humaneval_cpp.jsonl")
    data = gzip.compress(("\n".join(json.dumps(_item("cpp", i)) for i in range(60))
                          + "\n").encode())
    cut = tmp_path / "humaneval_cpp.jsonl.gz"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="truncated"):
        _read(cut)


def test_entry_point_falls_back_to_what_the_test_calls(tmp_path: Path) -> None:
    """The Rust/10 shape: the declaration opens a helper, the solution adds the function."""
    item = _item("rust", 10,
                 declaration="\nuse md5;\n\nfn helper_10(s: &str) -> bool {\n",
                 canonical_solution="    true\n}\n\nfn make_it(s: &str, n: i64) -> String {\n"
                                    "    s.to_string()\n}\n",
                 test="\n#[cfg(test)]\nmod tests {\n    use super::*;\n    #[test]\n"
                      "    fn t() { assert_eq!(make_it(\"a\", 1), \"a\"); }\n}\n")
    (rec,) = _read(_write(tmp_path / "humaneval_rust.jsonl", [json.dumps(item)]))
    assert isinstance(rec, Problem)
    assert (rec.entry_point, *_sig(rec)) == ("make_it", [("s", "str"), ("n", "int")], "str")


# ------------------------------------------------------------------ registration


def test_registered_through_the_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEAUG_DISABLE_PLUGIN_AUTOLOAD", "1")
    plugins = load_plugins(strict=True, extra=[humaneval_x_format])
    fmt = plugins.formats.get("humaneval-x")
    assert isinstance(fmt, HumanEvalXFormat) and fmt.name == "humaneval-x"


def test_declared_as_entry_point() -> None:
    eps = {ep.name: ep.value for ep in entry_points(group="codeaug")}
    assert eps.get("humaneval-x") == "codeaug_plugins.humaneval_x_format"
