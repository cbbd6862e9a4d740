fn main() {
    let dir = std::env::args().nth(1).unwrap_or("integrations".into());
    match generator::validate::load_and_validate(std::path::Path::new(&dir), &Default::default()) {
        Ok(v) => println!("{:#?}", v),
        Err(d) => println!("{d}"),
    }
}
