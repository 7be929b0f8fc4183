"""Forms of the content library, one module per part. They read and shape what a person
typed; every write goes through a service (content.workflow, content.stories, ...)."""
