// Imported first by every entry point, before anything from @atproto: the PDS and its libraries are built for
// Node >= 22 and use built-ins that Node 20 lacks (iterator helpers such as iterator.filter(), new Set methods,
// Promise.withResolvers). core-js fills in exactly those.
import 'core-js/actual/iterator/index.js';
import 'core-js/actual/set/index.js';
import 'core-js/actual/promise/with-resolvers.js';
import 'core-js/actual/array/from-async.js';
import 'core-js/actual/object/group-by.js';
