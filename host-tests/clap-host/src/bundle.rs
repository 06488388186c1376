//! Loading a `.clap` file: dlopen, `clap_entry`, init/deinit and the plugin factory.

use std::ffi::CString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use clap_sys::entry::clap_plugin_entry;
use clap_sys::factory::plugin_factory::{clap_plugin_factory, CLAP_PLUGIN_FACTORY_ID};
use clap_sys::version::clap_version_is_compatible;
use libloading::Library;

use crate::error::{HostError, Result};
use crate::instance::PluginInstance;
use crate::strings;

/// Owned copy of a `clap_plugin_descriptor`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginDescriptor {
    /// Reverse-DNS plugin id, e.g. `org.stemsuite.bus-compressor`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Vendor name.
    pub vendor: String,
    /// Version string as the plugin reports it.
    pub version: String,
    /// Home page URL (may be empty).
    pub url: String,
    /// One-line description (may be empty).
    pub description: String,
    /// Feature strings such as `audio-effect`, `compressor`, `stereo`.
    pub features: Vec<String>,
}

impl PluginDescriptor {
    /// Copies a descriptor the plugin owns.
    ///
    /// # Safety
    /// Every string pointer in `d` must be null or a valid NUL-terminated string, and `features` a
    /// null-terminated list of such strings (or null).
    pub(crate) unsafe fn from_raw(d: &clap_sys::plugin::clap_plugin_descriptor) -> Self {
        unsafe {
            Self {
                id: strings::from_ptr(d.id),
                name: strings::from_ptr(d.name),
                vendor: strings::from_ptr(d.vendor),
                version: strings::from_ptr(d.version),
                url: strings::from_ptr(d.url),
                description: strings::from_ptr(d.description),
                features: strings::from_list(d.features),
            }
        }
    }
}

/// The loaded library and its entry point, shared by every handle to the same file.
pub(crate) struct BundleInner {
    /// Canonical path of the `.clap` file.
    path: PathBuf,
    /// `None` once `deinit()` ran.
    library: Mutex<Option<Library>>,
    /// Address of the `clap_entry` symbol inside `library`.
    entry: *const clap_plugin_entry,
    /// The plugin factory returned by `get_factory`.
    factory: *const clap_plugin_factory,
    /// Every descriptor the factory lists, copied at load time.
    descriptors: Vec<PluginDescriptor>,
}

// SAFETY: the raw pointers point into the loaded library, which lives as long as this struct's
// `library`; CLAP declares `get_factory` and the factory thread-safe. init/deinit are serialised
// by `REGISTRY`.
unsafe impl Send for BundleInner {}
unsafe impl Sync for BundleInner {}

/// One entry per loaded file. `refs` counts live `ClapBundle` handles; init() and deinit() both run
/// under this lock, so they are paired and never concurrent, as `entry.h` demands even when tests
/// load the same file from many threads.
struct Loaded {
    inner: Arc<BundleInner>,
    refs: usize,
}

static REGISTRY: Mutex<Vec<Loaded>> = Mutex::new(Vec::new());

fn registry() -> std::sync::MutexGuard<'static, Vec<Loaded>> {
    // A panic elsewhere while holding the lock must not turn every later test into a failure.
    REGISTRY
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A loaded and initialised `.clap` file. Cloning is cheap; the last handle dropped calls
/// `clap_entry.deinit()` (the code stays mapped, see `BundleInner::close`). Plugin instances hold
/// a handle themselves.
pub struct ClapBundle {
    inner: Arc<BundleInner>,
}

impl ClapBundle {
    /// Opens `path`, checks `clap_entry`, calls `init(path)` and reads the plugin factory.
    /// Loading a file that is already loaded returns another handle to it (init runs once).
    pub fn load(path: impl AsRef<Path>) -> Result<ClapBundle> {
        let path = std::fs::canonicalize(path.as_ref())
            .map_err(|e| HostError::Load(format!("{}: {e}", path.as_ref().display())))?;

        let mut reg = registry();
        if let Some(loaded) = reg.iter_mut().find(|l| l.inner.path == path) {
            loaded.refs += 1;
            return Ok(ClapBundle {
                inner: loaded.inner.clone(),
            });
        }

        let inner = unsafe { BundleInner::open(path)? };
        let inner = Arc::new(inner);
        reg.push(Loaded {
            inner: inner.clone(),
            refs: 1,
        });
        Ok(ClapBundle { inner })
    }

    /// Canonical path of the loaded file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Every plugin the factory offers.
    pub fn descriptors(&self) -> &[PluginDescriptor] {
        &self.inner.descriptors
    }

    /// Creates and initialises an instance of plugin `id` with a fresh host context.
    pub fn create(&self, id: &str) -> Result<PluginInstance> {
        if !self.inner.descriptors.iter().any(|d| d.id == id) {
            return Err(HostError::Usage(format!(
                "no plugin with id `{id}` in {}",
                self.inner.path.display()
            )));
        }
        let c_id = CString::new(id).map_err(|_| HostError::Usage("id contains a nul".into()))?;
        let factory = unsafe { &*self.inner.factory };
        let create = factory
            .create_plugin
            .ok_or(HostError::NullFunction("factory.create_plugin"))?;
        PluginInstance::new(self.clone(), |host| unsafe {
            create(self.inner.factory, host, c_id.as_ptr())
        })
    }

    /// Creates the first (or only) plugin in the file.
    pub fn create_first(&self) -> Result<PluginInstance> {
        let id = self
            .inner
            .descriptors
            .first()
            .ok_or_else(|| HostError::Rejected("the factory lists no plugins".into()))?
            .id
            .clone();
        self.create(&id)
    }
}

impl Clone for ClapBundle {
    fn clone(&self) -> Self {
        let mut reg = registry();
        if let Some(loaded) = reg.iter_mut().find(|l| Arc::ptr_eq(&l.inner, &self.inner)) {
            loaded.refs += 1;
        }
        ClapBundle {
            inner: self.inner.clone(),
        }
    }
}

impl Drop for ClapBundle {
    fn drop(&mut self) {
        let mut reg = registry();
        let Some(pos) = reg.iter().position(|l| Arc::ptr_eq(&l.inner, &self.inner)) else {
            return;
        };
        reg[pos].refs -= 1;
        if reg[pos].refs == 0 {
            let loaded = reg.remove(pos);
            // Still under the registry lock: no init() of the same file can run concurrently.
            unsafe { loaded.inner.close() };
        }
    }
}

impl BundleInner {
    /// dlopen + entry checks + init + factory + descriptors.
    ///
    /// # Safety
    /// Runs foreign code from `path`. Caller holds the registry lock.
    unsafe fn open(path: PathBuf) -> Result<BundleInner> {
        let library =
            Library::new(&path).map_err(|e| HostError::Load(format!("{}: {e}", path.display())))?;
        let entry: *const clap_plugin_entry = {
            let sym = library
                .get::<*const clap_plugin_entry>(b"clap_entry\0")
                .map_err(|e| HostError::Load(format!("no clap_entry symbol: {e}")))?;
            // For a data symbol, the symbol's address is the address of the struct.
            *sym
        };
        if entry.is_null() {
            return Err(HostError::Entry("clap_entry is null".into()));
        }
        let e = &*entry;
        if !clap_version_is_compatible(e.clap_version) {
            return Err(HostError::Entry(format!(
                "incompatible CLAP version {}.{}.{}",
                e.clap_version.major, e.clap_version.minor, e.clap_version.revision
            )));
        }
        let init = e.init.ok_or(HostError::NullFunction("clap_entry.init"))?;
        let deinit = e
            .deinit
            .ok_or(HostError::NullFunction("clap_entry.deinit"))?;
        let get_factory = e
            .get_factory
            .ok_or(HostError::NullFunction("clap_entry.get_factory"))?;

        let c_path = CString::new(path.to_string_lossy().as_bytes())
            .map_err(|_| HostError::Usage("path contains a nul".into()))?;
        if !init(c_path.as_ptr()) {
            return Err(HostError::Entry("clap_entry.init() returned false".into()));
        }

        // From here on a failure must call deinit() before the library closes.
        let fail = |err: HostError| -> Result<BundleInner> {
            deinit();
            Err(err)
        };

        let factory = get_factory(CLAP_PLUGIN_FACTORY_ID.as_ptr()) as *const clap_plugin_factory;
        if factory.is_null() {
            return fail(HostError::MissingExtension("clap.plugin-factory"));
        }
        let f = &*factory;
        let (Some(count), Some(get_desc)) = (f.get_plugin_count, f.get_plugin_descriptor) else {
            return fail(HostError::NullFunction(
                "plugin factory count/get_plugin_descriptor",
            ));
        };
        let mut descriptors = Vec::new();
        for i in 0..count(factory) {
            let d = get_desc(factory, i);
            if d.is_null() {
                return fail(HostError::Rejected(format!(
                    "get_plugin_descriptor({i}) returned null"
                )));
            }
            descriptors.push(PluginDescriptor::from_raw(&*d));
        }

        Ok(BundleInner {
            path,
            library: Mutex::new(Some(library)),
            entry,
            factory,
            descriptors,
        })
    }

    /// deinit(), then releases the library without unmapping it. Idempotent.
    ///
    /// NOTE: the shared object is deliberately never `dlclose`d. A Rust (or C++) plugin registers
    /// thread-exit destructors (pthread TSD keys) on every thread that called into it; unmapping
    /// the code while such a thread lives makes that thread segfault when it exits. Seen with
    /// nice-plug bundles when parallel tests dropped the last handle while other test threads ran.
    /// DAWs keep plugin libraries mapped for the same reason. A later `load` dlopens the same
    /// mapping again (the loader refcounts it) and calls init() afresh, as `entry.h` allows.
    ///
    /// # Safety
    /// No plugin instance of this library may be alive. Caller holds the registry lock.
    unsafe fn close(&self) {
        let mut lib = self.library.lock().unwrap_or_else(|p| p.into_inner());
        let Some(library) = lib.take() else {
            return;
        };
        if let Some(deinit) = (*self.entry).deinit {
            deinit();
        }
        std::mem::forget(library);
    }
}
