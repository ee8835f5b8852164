-- the parameters moved to template versions before they shipped
DROP TABLE parameter_values;
DROP TYPE parameter_scope;
