/** The folder holding the default `.vm` templates. */
export declare const templatesDirectory: string;
