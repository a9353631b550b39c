fn main() {
	#[cfg(feature = "std")]
	{
		substrate_wasm_builder::WasmBuilder::build_using_defaults();
		// The same runtime as its own next version (`spec_version + 1`), for the forkless-upgrade
		// test: `wbuild/tributary-runtime/upgrade_test.compact.compressed.wasm` in the target
		// directory. Only the runtime crate itself is compiled twice; its dependencies are shared.
		substrate_wasm_builder::WasmBuilder::init_with_defaults()
			.enable_feature("upgrade-test")
			.set_file_name("upgrade_test")
			.build();
	}
}
