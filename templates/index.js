'use strict';
/** The folder holding the default `.vm` templates. */
exports.templatesDirectory = __dirname;
