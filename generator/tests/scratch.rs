mod common;

#[test]
fn scratch() {
    let templates = generator::templates::Templates::embedded().unwrap();
    let ir = generator::lower::lower_all(&[common::chronosphere()], &templates).unwrap();
    let files = generator::emit::emit(&ir, &templates, generator::emit::Layout::Crates).unwrap();
    files.write(std::path::Path::new("/tmp/scratch/out")).unwrap();
    let single = generator::emit::emit(&ir, &templates, generator::emit::Layout::SingleFile).unwrap();
    single.write(std::path::Path::new("/tmp/scratch/single")).unwrap();
}
