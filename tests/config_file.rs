//! The config file's `[keys]`, `[theme]` and `[[views]]` through the real binary: `pcinbox keys` prints the
//! keys in force, and a bad entry is an error naming the file and line, exit 2, before the
//! inbox touches the terminal.

use std::process::{Command, Output};

fn pcinbox(config: &str, args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("config.toml"), config).unwrap();
    Command::new(env!("CARGO_BIN_EXE_pcinbox"))
        .args(args)
        .env("PCINBOX_HOME", home.path())
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

#[test]
fn keys_prints_the_keys_in_force_as_config_toml() {
    let out = pcinbox(
        "[keys.inbox]\naccept = \"A\"\nstatus_picker = [\"s\", \"w\"]\n",
        &["keys"],
    );
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let parsed: toml::Table = toml::from_str(&text).expect("the output is TOML");
    let inbox = parsed["keys"]["inbox"].as_table().unwrap();
    assert_eq!(
        inbox["accept"].as_array().unwrap(),
        &[toml::Value::from("A")]
    );
    assert_eq!(inbox["status_picker"].as_array().unwrap().len(), 2);
    assert_eq!(
        inbox["reject"].as_array().unwrap(),
        &[toml::Value::from("x")]
    );
    // Every command of every mode, with what it does.
    for mode in [
        "inbox",
        "detail",
        "search",
        "dialog",
        "reason",
        "status_picker",
        "help",
        "composer",
        "preview",
    ] {
        assert!(
            parsed["keys"].get(mode).is_some(),
            "[keys.{mode}] is printed"
        );
    }
    assert!(text.contains("accept = [\"A\"]  # accept the selected PENDING invitation"));
    // Copied back into the config file, it changes nothing.
    let again = pcinbox(&text, &["keys"]);
    assert_eq!(String::from_utf8(again.stdout).unwrap(), text);
}

#[test]
fn a_bad_entry_exits_2_naming_the_line_before_the_screen_changes() {
    for (config, line, says) in [
        (
            "[keys.inbox]\naccept = \"A\"\ntriage = \"t\"\n",
            3,
            "`triage` is not a command",
        ),
        (
            "[keys.inbox]\naccept = \"hyper-a\"\n",
            2,
            "`hyper-a` is not a key",
        ),
        ("[keys.inbox]\naccept = \"q\"\n", 2, "`q` is bound to both"),
        (
            "[theme]\naccent = \"teal-ish\"\n",
            2,
            "`teal-ish` is not a colour",
        ),
        (
            "\n[theme]\npreset = \"sepia\"\n",
            3,
            "`sepia` is not a preset",
        ),
        (
            "[[views]]\nname = \"Urgent\"\nparticipant = \"received\"\nkind = \"opp\"\n",
            4,
            "[[views]] 1 (\"Urgent\"): kind: `opp` must be \"opportunity\" or \"lead\"",
        ),
        (
            "[[views]]\nname = \"A\"\n\n[[views]]\nstatus = \"pending\"\n",
            4,
            "[[views]] 2: name: every view needs one",
        ),
    ] {
        for args in [&["--local"][..], &["keys"]] {
            let out = pcinbox(config, args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?} {config:?}: {stderr}");
            assert!(
                stderr.contains(&format!("config.toml:{line}: ")) && stderr.contains(says),
                "{config:?}: {stderr}"
            );
            assert!(
                out.stdout.is_empty(),
                "nothing reached the terminal: {:?}",
                out.stdout
            );
        }
    }
}
