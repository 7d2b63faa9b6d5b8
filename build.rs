fn main() {
    // the rule files are embedded; a new file must rebuild the crate
    println!("cargo:rerun-if-changed=rules");
}
