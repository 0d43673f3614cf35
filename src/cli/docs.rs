//! Shell completion scripts (`pcinbox completions SHELL`) and the man page (`pcinbox man`),
//! generated from the same clap definitions that parse the arguments, so they never drift.

use clap::CommandFactory;

use super::Cli;

/// The completion script of `shell`.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "pcinbox", &mut script);
    script
}

/// The man page (roff) of the whole command line: the global options, then a section per
/// subcommand with its synopsis, description and options.
pub fn man_page() -> Vec<u8> {
    let command = Cli::command();
    let mut page = Vec::new();
    render(&command, &mut page).expect("rendering into a Vec does not fail");
    page
}

fn render(command: &clap::Command, page: &mut Vec<u8>) -> std::io::Result<()> {
    clap_mangen::Man::new(command.clone()).render(page)?;
    for subcommand in command.get_subcommands() {
        let name = format!("pcinbox {}", subcommand.get_name());
        let man = clap_mangen::Man::new(subcommand.clone().bin_name(&name));
        let mut section = Vec::new();
        man.render_synopsis_section(&mut section)?;
        man.render_description_section(&mut section)?;
        man.render_options_section(&mut section)?;
        page.extend_from_slice(format!(".SH \"{}\"\n", name.to_uppercase()).as_bytes());
        // The subcommand's own sections become subsections of its section.
        for line in String::from_utf8_lossy(&section).lines() {
            let line = match line.strip_prefix(".SH ") {
                Some(title) => format!(".SS {title}"),
                None => line.to_owned(),
            };
            page.extend_from_slice(line.as_bytes());
            page.push(b'\n');
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shell_gets_a_script_that_knows_the_subcommands() {
        for shell in [
            clap_complete::Shell::Bash,
            clap_complete::Shell::Zsh,
            clap_complete::Shell::Fish,
            clap_complete::Shell::Elvish,
            clap_complete::Shell::PowerShell,
        ] {
            let script = String::from_utf8(completions(shell)).unwrap();
            for word in ["pcinbox", "members", "query", "catalog", "completions"] {
                assert!(script.contains(word), "{shell}: no {word}");
            }
        }
    }

    #[test]
    fn the_man_page_covers_every_subcommand_and_flag() {
        let page = String::from_utf8(man_page()).unwrap();
        assert!(
            page.starts_with(".ie \\n(.g .ds Aq"),
            "roff: {}",
            &page[..40]
        );
        assert!(page.contains(".TH pcinbox 1"), "title");
        for subcommand in Cli::command().get_subcommands() {
            let section = format!(".SH \"PCINBOX {}\"", subcommand.get_name().to_uppercase());
            assert!(page.contains(&section), "no {section}");
        }
        for flag in ["query", "page\\-size", "cli\\-input\\-json", "seed\\-count"] {
            assert!(page.contains(&format!("\\-\\-{flag}")), "no --{flag}");
        }
    }
}
