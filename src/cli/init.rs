//! `elmo init`: write a starter model.

use std::io::Write;
use std::path::PathBuf;

use super::output::{create_new, write_file};
use super::{Error, ExitCode};
use crate::init::{SCHEMA_FILE, Template, data, text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum TemplateName {
    /// A small clean model to rename and extend.
    Blank,
    /// Reoffending across the nine evidence-based dimensions, evaluated through the Justice Data Lab.
    Reoffending,
    /// A Community Led Support programme (the NDTi impact framework).
    CommunityLedSupport,
    /// An alcohol treatment requirement service.
    AlcoholTreatment,
}

#[derive(Debug, clap::Args)]
pub(super) struct InitArgs {
    /// Where to write the model; a folder gets `model.yaml` inside it.
    #[arg(value_name = "PATH", default_value = "model.yaml")]
    path: PathBuf,
    /// Which starter model to write.
    #[arg(long, value_enum, default_value_t = TemplateName::Blank)]
    template: TemplateName,
    /// Overwrite an existing file (through a symbolic link, never a link to nothing).
    #[arg(long)]
    force: bool,
}

pub(super) fn run(
    args: &InitArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitCode, Error> {
    let path = if args.path.is_dir() {
        args.path.join("model.yaml")
    } else {
        args.path.clone()
    };
    let template = match args.template {
        TemplateName::Blank => Template::Blank,
        TemplateName::Reoffending => Template::Reoffending,
        TemplateName::CommunityLedSupport => Template::CommunityLedSupport,
        TemplateName::AlcoholTreatment => Template::AlcoholTreatment,
    };
    let body = text(template);
    // Without --force nothing that is there is touched, a link to nothing included: the
    // file is created only if the name is free, checked and claimed in one step.
    let written = if args.force {
        write_file(&path, body.as_bytes())
    } else {
        create_new(&path, body.as_bytes())
    };
    if let Err(e) = written {
        return Err(if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::Usage(format!(
                "{} already exists; nothing written (use --force to overwrite it)",
                path.display()
            ))
        } else {
            Error::write(&path, e)
        });
    }
    // The template's modeline names a schema beside the model: write it when missing so
    // editors complete keys from the first keystroke.
    let schema = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from(SCHEMA_FILE), |p| p.join(SCHEMA_FILE));
    let json = serde_json::to_string_pretty(&crate::model::schema()).unwrap_or_default() + "\n";
    match create_new(&schema, json.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
            let _ = writeln!(
                err,
                "warning: cannot write {}: {e}; editor completion needs it",
                schema.display()
            );
        }
        _ => {}
    }
    // The records a measure is computed from go beside the model too, or its first check
    // would fail to read them; a file already there is the user's and is kept.
    for (name, text) in data(template) {
        let file = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from(name), |p| p.join(name));
        match create_new(&file, text.as_bytes()) {
            Ok(()) => {
                let _ = writeln!(
                    out,
                    "Wrote {} (synthetic records, made up to show the computation).",
                    file.display()
                );
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(Error::write(&file, e)),
        }
    }
    let p = path.display();
    let _ = writeln!(out, "Wrote {p}. Next:");
    let _ = writeln!(
        out,
        "  elmo check {p}              # what is missing, and how to fix it"
    );
    let _ = writeln!(out, "  elmo render {p} -o model.svg # the diagram");
    let _ = writeln!(
        out,
        "  elmo serve {p}              # live in the browser while you edit"
    );
    Ok(ExitCode::Ok)
}
