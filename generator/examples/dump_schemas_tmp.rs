fn main() { for (k, v) in generator::format_schema::format_schemas() { println!("== {k}\n{v}"); } }
